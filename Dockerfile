# gouji (勾稽) in a container: `docker run --rm -v "$PWD:/work" gouji lint reports/`
#
# Build stage: the stripped release binary (Cargo.toml's release profile).
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked \
 && cp target/release/gouji /usr/local/bin/gouji

# Final stage: glibc and libgcc only (what a Rust binary links), no shell, not root.
# `gouji import` of PDFs needs poppler's pdftotext, which this image does not have.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /usr/local/bin/gouji /usr/local/bin/gouji
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/gouji"]
CMD ["lint", "."]
