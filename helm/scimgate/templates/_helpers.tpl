{{/* Chart name, truncated to the 63 characters a label allows. */}}
{{- define "scimgate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release-chart, or the release name alone when it already contains the chart name. */}}
{{- define "scimgate.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "scimgate.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "scimgate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "scimgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "scimgate.labels" -}}
helm.sh/chart: {{ include "scimgate.chart" . }}
{{ include "scimgate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: scimgate
{{- end }}

{{- define "scimgate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "scimgate.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "scimgate.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Name of the Secret holding DATABASE_URL, REDIS_URL and SCIMGATE_ADMIN_KEY; empty when none. */}}
{{- define "scimgate.secretName" -}}
{{- if and .Values.secrets.create .Values.secrets.existingSecret }}
{{- fail "secrets.existingSecret and secrets.create are mutually exclusive" }}
{{- end }}
{{- if .Values.secrets.existingSecret }}
{{- .Values.secrets.existingSecret }}
{{- else if .Values.secrets.create }}
{{- include "scimgate.fullname" . }}
{{- end }}
{{- end }}

{{/* A config value as a string; numbers from values files arrive as float64. */}}
{{- define "scimgate.configValue" -}}
{{- if kindIs "float64" . }}{{ int64 . }}{{ else }}{{ toString . }}{{ end }}
{{- end }}

{{/* Environment of the server and of the migration Job: listen address and secret refs. */}}
{{- define "scimgate.secretEnv" -}}
{{- $secret := include "scimgate.secretName" . }}
{{- if $secret }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.secrets.keys.databaseUrl }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.secrets.keys.redisUrl }}
      optional: true
- name: SCIMGATE_ADMIN_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.secrets.keys.adminKey }}
      optional: true
- name: SCIMGATE_SECRETS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.secrets.keys.secretsKey }}
      optional: true
- name: SCIMGATE_SECRETS_KEY_PREVIOUS
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.secrets.keys.secretsKeyPrevious }}
      optional: true
{{- end }}
{{- end }}

{{/* Container securityContext shared by the server and the migration Job. */}}
{{- define "scimgate.containerSecurityContext" -}}
{{- toYaml .Values.securityContext }}
{{- end }}
