pub mod import;
pub mod source;
pub mod yaml;
