{{- define "bookhook.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bookhook.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "bookhook.labels" -}}
app.kubernetes.io/name: {{ include "bookhook.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector labels of one stage: include "bookhook.selector" (dict "root" $ "stage" "derive") */}}
{{- define "bookhook.selector" -}}
app.kubernetes.io/name: {{ include "bookhook.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .stage }}
{{- end -}}

{{- define "bookhook.secretName" -}}
{{- printf "%s-secrets" (include "bookhook.fullname" .) -}}
{{- end -}}

{{/* The Kafka connection every stage gets. */}}
{{- define "bookhook.kafkaEnv" -}}
- name: BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS
  value: {{ required "kafka.bootstrapServers is required" .Values.kafka.bootstrapServers | quote }}
{{- range $property, $value := .Values.kafka.properties }}
- name: {{ printf "BOOKHOOK_KAFKA_%s" ($property | replace "." "_" | replace "-" "_" | upper) }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- range .Values.kafka.secretProperties }}
- name: {{ printf "BOOKHOOK_KAFKA_%s" (.property | replace "." "_" | replace "-" "_" | upper) }}
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ .key }}
{{- end }}
{{- end -}}

{{/* {NAME: value} maps of extra settings, in a stable order. */}}
{{- define "bookhook.extraEnv" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end -}}
