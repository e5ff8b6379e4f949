//! A folder of generated reports with injected errors, for tests of whole runs: made from
//! the bundled examples (`examples/balanced-2021.yaml`, `tests/fixtures/html/jiaotong-2022.yaml`,
//! both balanced, and `examples/chaoyang-2020.yaml`, on the 2019 format, with its own
//! errors), with each report's 机关 and 年度 changed (never two consecutive years of one body), and — for a known share — one to
//! three numbers of table 3 or 4 moved by 1 to 3, which breaks the sums they are in. A few
//! files cannot be read (YAML syntax) or cannot be checked in full (a table renamed).
//! Deterministic: the same seed gives the same files.

use std::path::Path;

const AGENCIES: [&str; 8] = [
    "示例市自然资源和规划局",
    "示例市交通运输局",
    "示例市生态环境局",
    "示例市卫生健康委员会",
    "示例县人民政府办公室",
    "示例县市场监督管理局",
    "示例区教育局",
    "示例区财政局",
];

/// What was generated.
#[derive(Debug, Default)]
pub struct Generated {
    pub files: usize,
    /// Reports with numbers moved.
    pub injected: usize,
    /// Files that are not YAML.
    pub broken: usize,
    /// Reports with a table renamed (not fully checked).
    pub renamed: usize,
}

/// splitmix64: a small, good, seedable generator (no dependency).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The byte ranges of the numbers after `自然人: ` and `结果维持: ` (cells of tables 3 and 4).
fn cells(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for key in ["自然人: ", "结果维持: "] {
        for (at, _) in text.match_indices(key) {
            let start = at + key.len();
            let len = text[start..].bytes().take_while(u8::is_ascii_digit).count();
            if len > 0 {
                found.push((start, start + len));
            }
        }
    }
    found.sort();
    found
}

fn replace_line(text: &str, key: &str, value: &str) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with(key) {
                format!("{key} {value}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Writes `n` reports into `dir`; about `share` of them (0..=1) get injected errors.
pub fn reports(dir: &Path, n: usize, seed: u64, share: f64) -> Generated {
    std::fs::create_dir_all(dir).unwrap();
    let templates = [
        std::fs::read_to_string("examples/balanced-2021.yaml").unwrap(),
        std::fs::read_to_string("tests/fixtures/html/jiaotong-2022.yaml").unwrap(),
        std::fs::read_to_string("examples/chaoyang-2020.yaml").unwrap(),
    ];
    let mut rng = Rng(seed);
    let mut made = Generated::default();
    for i in 0..n {
        // One in ten is on the 2019 format (the example with its own errors).
        let t = if i % 10 == 9 { 2 } else { i % 2 };
        let mut text = templates[t].clone();
        let agency = AGENCIES[rng.below(AGENCIES.len())];
        // No body has reports of two consecutive years: each report is checked alone.
        let year = if t == 2 {
            2019
        } else {
            2021 + 2 * rng.below(2)
        };
        text = replace_line(&text, "机关:", agency);
        text = replace_line(&text, "年度:", &year.to_string());
        if (rng.below(1000) as f64) < share * 1000.0 {
            for _ in 0..1 + rng.below(3) {
                let sites = cells(&text);
                let (start, end) = sites[rng.below(sites.len())];
                let old: u64 = text[start..end].parse().unwrap();
                let new = old + 1 + rng.below(3) as u64;
                text.replace_range(start..end, &new.to_string());
            }
            made.injected += 1;
        }
        if i % 100 == 37 {
            text = format!("机关: [{agency}\n年度: {year}\n");
            made.broken += 1;
        } else if i % 100 == 71 {
            text = text.replace("复议诉讼:", "复议与诉讼:");
            made.renamed += 1;
        }
        // Some names as people give them: Chinese, with spaces.
        let name = if i % 7 == 3 {
            format!("{agency} {year} 年报 {i:04}.yaml")
        } else {
            format!("r{i:04}.yaml")
        };
        std::fs::write(dir.join(name), text).unwrap();
        made.files += 1;
    }
    made
}
