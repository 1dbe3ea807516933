# syntax=docker/dockerfile:1
# scimgate container image: `docker build -t scimgate .`
#
# Layer order keeps dependency builds cached: the `manifests` stage extracts only the Cargo
# manifests and Cargo.lock, the builder compiles every dependency against stub sources, and only
# then copies the real sources. Editing code rebuilds scimgate's own crates, not its dependencies;
# editing a Cargo.toml or Cargo.lock rebuilds them all.

ARG RUST_IMAGE=rust:1.95-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${RUST_IMAGE} AS manifests
WORKDIR /src
COPY . .
# Keep the manifests alone: this stage's output changes only when a manifest changes.
RUN mkdir -p /manifests \
    && find . -name Cargo.toml -not -path './target/*' -exec cp --parents {} /manifests/ \; \
    && cp Cargo.lock /manifests/

FROM ${RUST_IMAGE} AS builder
WORKDIR /src
ENV CARGO_TERM_COLOR=never \
    CARGO_INCREMENTAL=0
COPY --from=manifests /manifests/ ./
# Stub sources for every target cargo will look for, then build the dependencies only.
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN for manifest in */Cargo.toml; do mkdir -p "$(dirname "$manifest")/src" && touch "$(dirname "$manifest")/src/lib.rs"; done \
    && cargo metadata --no-deps --format-version 1 --locked \
       | grep -o '"src_path":"[^"]*"' | cut -d'"' -f4 | sort -u \
       | while read -r path; do mkdir -p "$(dirname "$path")"; [ -s "$path" ] || echo 'fn main() {}' > "$path"; done \
    && cargo build --release --locked -p scimgate-api \
    && rm -rf target/release/.fingerprint/scimgate-* target/release/deps/scimgate* target/release/deps/libscimgate* \
    && find . -name '*.rs' -not -path './target/*' -delete

COPY . .
# Copied sources may carry older mtimes than the stubs: make cargo see them as changed.
RUN find . -name '*.rs' -not -path './target/*' -exec touch {} + \
    && cargo build --release --locked -p scimgate-api \
    && install -m 0755 target/release/scimgate /usr/local/bin/scimgate \
    && /usr/local/bin/scimgate --version

FROM ${RUNTIME_IMAGE}
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 scimgate \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin scimgate \
    && mkdir -p /app/data \
    && chown -R 10001:10001 /app
COPY --from=builder /usr/local/bin/scimgate /usr/local/bin/scimgate
WORKDIR /app
USER 10001:10001
ENV SCIMGATE_LISTEN=0.0.0.0:8080 \
    SCIMGATE_LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/scimgate"]
CMD ["serve"]
