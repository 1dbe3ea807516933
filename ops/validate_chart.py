#!/usr/bin/env python3
"""Offline checks of the scimgate Helm chart, run by ops/validate-chart.sh in the .venv-ops venv.

For the default values and for every helm/scimgate/ci/*-values.yaml file:

1. `helm lint --strict` (Helm 4 Go SDK through helm-python-sdk; no helm binary, no cluster);
2. `helm template` (Chart.render, hooks included), written to OUT_DIR/<case>/;
3. every rendered object validated by kubernetes-validate in strict mode (unknown fields are
   errors) against each Kubernetes version in KUBE_VERSIONS; kinds it has no schema for fail,
   except the CRDs listed in SKIP_KINDS, which are skipped explicitly;
4. policy checks the schemas cannot express (non-root, read-only root filesystem, probes...).

Then negative cases: values the chart must refuse (a misspelt top-level key as with
`--set replicaCountt=3`, misspelt nested keys, contradictory secret settings).

Exit status is non-zero when any check fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import helm_python as helm
import yaml
from kubernetes_validate import utils as kv

RELEASE = "scimgate"
NAMESPACE = "scimgate"

# Oldest Kubernetes the chart supports (Chart.yaml kubeVersion) and the newest schema set that
# the pinned kubernetes-validate ships.
KUBE_VERSIONS = ["1.27.0", "1.37.0"]

# Custom resources kubernetes-validate has no schema for: checked structurally here instead.
SKIP_KINDS = {
    ("monitoring.coreos.com/v1", "ServiceMonitor"): "Prometheus Operator CRD, no schema shipped",
}

# Kinds each case must render (beyond what every case renders).
ALWAYS_KINDS = {"ConfigMap", "Deployment", "Service", "PodDisruptionBudget"}

failures: list[str] = []


def fail(message: str) -> None:
    failures.append(message)
    print(f"FAIL {message}")


def ok(message: str) -> None:
    print(f"ok   {message}")


def load_values(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    return helm.values_from_yaml(path.read_text())


def lint(chart: Path, case: str, values: dict[str, Any] | None) -> None:
    report = helm.lint(chart, values, strict=True, namespace=NAMESPACE)
    problems = [m for m in report.get("messages", []) if m.get("severity", 0) >= 2]
    for message in report.get("messages", []):
        level = {1: "info", 2: "warning", 3: "error"}.get(message.get("severity"), "?")
        print(f"     lint {level}: {message.get('path')}: {message.get('error', '').strip()}")
    if report.get("errors") or problems:
        fail(f"[{case}] helm lint --strict: {len(problems)} warnings/errors")
    else:
        ok(f"[{case}] helm lint --strict")


def render(chart: Path, values: dict[str, Any] | None) -> dict[str, str]:
    with helm.Chart.load(chart) as loaded:
        return loaded.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)


def containers_of(obj: dict[str, Any]) -> list[dict[str, Any]]:
    pod = obj.get("spec", {}).get("template", {}).get("spec", {})
    return list(pod.get("containers", [])) + list(pod.get("initContainers", []))


def check_policy(case: str, obj: dict[str, Any]) -> None:
    """What values.schema.json and the Kubernetes schemas cannot express."""
    kind, name = obj["kind"], obj["metadata"]["name"]
    where = f"[{case}] {kind}/{name}"
    if kind not in ("Deployment", "Job"):
        return
    pod = obj["spec"]["template"]["spec"]
    psc = pod.get("securityContext", {})
    if psc.get("runAsNonRoot") is not True:
        fail(f"{where}: pod securityContext.runAsNonRoot is not true")
    if pod.get("automountServiceAccountToken") is not False:
        fail(f"{where}: automountServiceAccountToken is not false")
    mounts_tmp = any(
        v.get("name") == "tmp" and "emptyDir" in v for v in pod.get("volumes", [])
    )
    if not mounts_tmp:
        fail(f"{where}: no emptyDir volume for /tmp")
    for container in containers_of(obj):
        sc = container.get("securityContext", {})
        cname = f"{where} container {container['name']}"
        expected = {
            "runAsNonRoot": True,
            "runAsUser": 10001,
            "readOnlyRootFilesystem": True,
            "allowPrivilegeEscalation": False,
        }
        for key, value in expected.items():
            if sc.get(key) != value:
                fail(f"{cname}: securityContext.{key} is {sc.get(key)!r}, want {value!r}")
        if sc.get("capabilities", {}).get("drop") != ["ALL"]:
            fail(f"{cname}: capabilities.drop is not [ALL]")
        if sc.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            fail(f"{cname}: seccompProfile is not RuntimeDefault")
        if not any(m.get("mountPath") == "/tmp" for m in container.get("volumeMounts", [])):
            fail(f"{cname}: /tmp is not mounted")
        if not container.get("resources", {}).get("requests"):
            fail(f"{cname}: no resource requests")
        env = {e["name"]: e for e in container.get("env", [])}
        if kind == "Deployment":
            if env.get("SCIMGATE_LISTEN", {}).get("value") != "0.0.0.0:8080":
                fail(f"{cname}: SCIMGATE_LISTEN is not 0.0.0.0:8080")
            probes = {
                "startupProbe": "/healthz",
                "livenessProbe": "/healthz",
                "readinessProbe": "/readyz",
            }
            for probe, path in probes.items():
                got = container.get(probe, {}).get("httpGet", {}).get("path")
                if got != path:
                    fail(f"{cname}: {probe} path is {got!r}, want {path!r}")
        for secret_var in ("DATABASE_URL", "REDIS_URL", "SCIMGATE_ADMIN_KEY"):
            if "value" in env.get(secret_var, {}):
                fail(f"{cname}: {secret_var} is a plain value, not a secretKeyRef")
    if kind == "Job":
        hooks = obj["metadata"].get("annotations", {}).get("helm.sh/hook", "")
        if set(hooks.split(",")) != {"pre-install", "pre-upgrade"}:
            fail(f"{where}: helm.sh/hook is {hooks!r}")
        args = containers_of(obj)[0].get("args")
        if args != ["migrate"]:
            fail(f"{where}: args are {args!r}, want ['migrate']")


def check_service_monitor(case: str, obj: dict[str, Any]) -> None:
    """Structural check standing in for the CRD schema kubernetes-validate lacks."""
    where = f"[{case}] ServiceMonitor/{obj['metadata']['name']}"
    spec = obj.get("spec", {})
    allowed = {"selector", "namespaceSelector", "endpoints", "jobLabel", "targetLabels"}
    unknown = set(spec) - allowed
    if unknown:
        fail(f"{where}: unexpected spec fields {sorted(unknown)}")
    endpoints = spec.get("endpoints") or []
    if not endpoints or not all(e.get("port") == "http" for e in endpoints):
        fail(f"{where}: endpoints must scrape the service port 'http'")
    if not spec.get("selector", {}).get("matchLabels"):
        fail(f"{where}: no selector.matchLabels")


def validate_case(chart: Path, case: str, values: dict[str, Any] | None, out_dir: Path,
                  expect_kinds: set[str]) -> None:
    lint(chart, case, values)
    try:
        manifests = render(chart, values)
    except helm.HelmError as err:
        fail(f"[{case}] helm template: {err}")
        return
    case_dir = out_dir / case
    case_dir.mkdir(parents=True, exist_ok=True)
    kinds: set[str] = set()
    objects = 0
    for template, text in sorted(manifests.items()):
        if template.endswith("NOTES.txt") or not text.strip():
            continue
        target = case_dir / template.replace("/", "_")
        target.write_text(text)
        try:
            docs = [d for d in yaml.safe_load_all(text) if d]
        except yaml.YAMLError as err:
            fail(f"[{case}] {template}: rendered YAML does not parse: {err}")
            continue
        for obj in docs:
            objects += 1
            kind, api = obj.get("kind"), obj.get("apiVersion")
            kinds.add(kind)
            label = f"[{case}] {kind}/{obj.get('metadata', {}).get('name')}"
            if (api, kind) in SKIP_KINDS:
                print(f"skip {label}: kubernetes-validate: {SKIP_KINDS[(api, kind)]}; "
                      "structural check instead")
                check_service_monitor(case, obj)
                continue
            for version in KUBE_VERSIONS:
                try:
                    kv.validate(obj, version, strict=True)
                except kv.ValidationError as err:
                    path = ".".join(str(p) for p in err.path)
                    fail(f"{label} against Kubernetes {version}: {path}: {err.message}")
                except kv.SchemaNotFoundError as err:
                    fail(f"{label}: {err.message} (add it to SKIP_KINDS only if it is a CRD)")
                except kv.VersionNotSupportedError:
                    fail(f"kubernetes-validate does not ship Kubernetes {version}")
            check_policy(case, obj)
    missing = (ALWAYS_KINDS | expect_kinds) - kinds
    if missing:
        fail(f"[{case}] rendered no {sorted(missing)}")
    ok(f"[{case}] rendered {objects} objects ({', '.join(sorted(kinds))}) into {case_dir}; "
       f"validated strictly against Kubernetes {', '.join(KUBE_VERSIONS)}")


def expect_rejected(chart: Path, description: str, values: dict[str, Any], needle: str) -> None:
    """Rendering these values must fail, and the message must name `needle`."""
    try:
        render(chart, values)
    except helm.HelmError as err:
        if needle in str(err):
            ok(f"rejected {description}: {str(err).strip().splitlines()[-1].strip()}")
        else:
            fail(f"{description}: rejected, but the message does not name {needle!r}: {err}")
        return
    fail(f"{description}: rendered without error; values.schema.json should refuse it")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chart", type=Path, default=Path("helm/scimgate"))
    parser.add_argument("--out", type=Path, default=Path("target/helm-rendered"))
    args = parser.parse_args()
    chart: Path = args.chart
    out_dir: Path = args.out

    print(f"Helm SDK {helm.helm_sdk_version()} (helm-python-sdk {helm.__version__}), "
          f"kubernetes-validate schemas up to {kv.latest_version()}")
    for version in KUBE_VERSIONS:
        if version not in kv.all_versions():
            fail(f"kubernetes-validate ships no schemas for Kubernetes {version}")

    cases: list[tuple[str, Path | None, set[str]]] = [("default", None, {"HorizontalPodAutoscaler", "Job"})]
    expectations = {
        "production-values": {"HorizontalPodAutoscaler", "Ingress", "ServiceMonitor", "Job"},
        "test-values": {"Secret", "Ingress", "Job"},
    }
    for values_file in sorted((chart / "ci").glob("*-values.yaml")):
        cases.append((values_file.stem, values_file, expectations.get(values_file.stem, set())))
    for case, values_file, expect in cases:
        validate_case(chart, case, load_values(values_file), out_dir, expect)

    # Typos and contradictions must stop install/upgrade/template, not be ignored.
    expect_rejected(chart, "--set replicaCountt=3", helm.parse_set_string("replicaCountt=3"),
                    "replicaCountt")
    expect_rejected(chart, "--set image.tagg=1.0", helm.parse_set_string("image.tagg=1.0"),
                    "tagg")
    expect_rejected(chart, "--set config.SCIMGATE_LOG_FROMAT=json",
                    helm.parse_set_string("config.SCIMGATE_LOG_FROMAT=json"),
                    "SCIMGATE_LOG_FROMAT")
    expect_rejected(chart, "a database URL in config (it belongs in secrets)",
                    {"config": {"DATABASE_URL": "postgres://u:p@db/scimgate"}}, "DATABASE_URL")
    expect_rejected(chart, "--set autoscaling.enabled=yes",
                    helm.parse_set_string_values("autoscaling.enabled=yes"), "autoscaling")
    expect_rejected(chart, "secrets.create without secrets.values.DATABASE_URL",
                    {"secrets": {"create": True}}, "DATABASE_URL")
    expect_rejected(chart, "secrets.create together with secrets.existingSecret",
                    {"secrets": {"create": True, "existingSecret": "scimgate-env",
                                 "values": {"DATABASE_URL": "postgres://db/scimgate"}}},
                    "existingSecret")

    if failures:
        print(f"\nhelm chart: {len(failures)} check(s) failed")
        return 1
    print("\nhelm chart: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
