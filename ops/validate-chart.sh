#!/usr/bin/env bash
# Validates the Helm chart in helm/scimgate and lints the Dockerfile, offline (PyPI only):
#   - helm lint --strict and helm template for the default values and helm/scimgate/ci/*-values.yaml
#     (Helm 4 Go SDK via helm-python-sdk; no helm binary, no cluster);
#   - every rendered object through kubernetes-validate --strict (Kubernetes 1.27 and 1.37);
#     ServiceMonitor (a CRD it has no schema for) gets a structural check instead;
#   - values.schema.json must refuse typos (e.g. --set replicaCountt=3);
#   - yamllint on the values files; hadolint on the Dockerfile.
# Tools live in .venv-ops/ at the repository root, (re)installed when ops/requirements.txt changes.
# Rendered manifests are left in target/helm-rendered/ for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv-ops
REQUIREMENTS=ops/requirements.txt
PYTHON=${PYTHON:-python3}

stamp_of() { sha256sum "$REQUIREMENTS" | cut -d' ' -f1; }

if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$(stamp_of)" ]; then
  echo "-- installing $REQUIREMENTS into $VENV"
  if ! "$PYTHON" -m venv --help >/dev/null 2>&1 || ! "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  fi
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$REQUIREMENTS"
  stamp_of >"$VENV/.requirements.sha256"
fi

status=0

echo "-- yamllint (values files)"
if "$VENV/bin/yamllint" --strict -c ops/yamllint.yaml \
  helm/scimgate/Chart.yaml helm/scimgate/values.yaml helm/scimgate/ci/; then
  echo "ok   yamllint"
else
  echo "FAIL yamllint"
  status=1
fi

echo "-- values.schema.json is valid JSON"
if "$VENV/bin/python" -m json.tool helm/scimgate/values.schema.json >/dev/null; then
  echo "ok   values.schema.json parses"
else
  echo "FAIL values.schema.json"
  status=1
fi

echo "-- helm lint, helm template, kubernetes-validate --strict, schema typo checks"
rm -rf target/helm-rendered
if ! "$VENV/bin/python" ops/validate_chart.py --chart helm/scimgate --out target/helm-rendered; then
  status=1
fi

echo "-- hadolint Dockerfile"
if "$VENV/bin/hadolint" --no-color --failure-threshold warning Dockerfile; then
  echo "ok   hadolint"
else
  echo "FAIL hadolint"
  status=1
fi

if [ "$status" -ne 0 ]; then
  echo "validate-chart: FAILED"
  exit "$status"
fi
echo "validate-chart: all checks passed"
