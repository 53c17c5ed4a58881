{{/* Name of the chart, or nameOverride. */}}
{{- define "wharf.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release-chart, or fullnameOverride; the release name alone when it already contains the chart name. */}}
{{- define "wharf.fullname" -}}
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

{{- define "wharf.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "wharf.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wharf.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "wharf.labels" -}}
helm.sh/chart: {{ include "wharf.chart" . }}
{{ include "wharf.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: registry
{{- end }}

{{- define "wharf.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "wharf.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding DATABASE_URL and the S3 keys: existingSecret, or the chart's own. */}}
{{- define "wharf.secretName" -}}
{{- default (include "wharf.fullname" .) .Values.existingSecret }}
{{- end }}

{{- define "wharf.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* Refuses values that would give a Wharf that cannot start, naming the value to set. */}}
{{- define "wharf.validate" -}}
{{- $storage := .Values.storage.type }}
{{- if not (has $storage (list "s3" "filesystem")) }}
{{- fail (printf "storage.type must be s3 or filesystem, not %q" $storage) }}
{{- end }}
{{- if not .Values.existingSecret }}
{{- if not .Values.database.url }}
{{- fail "set database.url (postgres://user:password@host:5432/db) or existingSecret: Wharf needs an external PostgreSQL here" }}
{{- end }}
{{- if or (lt (len (toString .Values.auth.secret)) 16) (lt (len (toString .Values.auth.adminPassword)) 8) }}
{{- fail "set auth.secret (at least 16 random characters, seals the token signing keys) and auth.adminPassword (at least 8), or existingSecret" }}
{{- end }}
{{- if and (eq $storage "s3") (or (not .Values.storage.s3.accessKey) (not .Values.storage.s3.secretKey)) }}
{{- fail "set storage.s3.accessKey and storage.s3.secretKey, or existingSecret" }}
{{- end }}
{{- end }}
{{- if and (eq $storage "s3") (or (not .Values.storage.s3.endpoint) (not .Values.storage.s3.bucket)) }}
{{- fail "set storage.s3.endpoint and storage.s3.bucket" }}
{{- end }}
{{- if and (eq $storage "filesystem") (not .Values.storage.filesystem.existingClaim) }}
{{- fail "storage.type filesystem needs storage.filesystem.existingClaim (ReadWriteMany when several replicas run)" }}
{{- end }}
{{- range $name, $value := .Values.extraEnv }}
{{- if has $name (list "DATABASE_URL" "WHARF_S3_ACCESS_KEY" "WHARF_S3_SECRET_KEY" "WHARF_SECRET" "WHARF_ADMIN_PASSWORD") }}
{{- fail (printf "extraEnv.%s is a secret: use database.url, storage.s3.*, auth.* or existingSecret" $name) }}
{{- end }}
{{- end }}
{{- end }}
