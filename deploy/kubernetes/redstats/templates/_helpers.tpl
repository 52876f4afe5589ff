{{/* Labels every object carries. */}}
{{- define "redstats.labels" -}}
{{ include "redstats.baseLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The same without the instance, for objects that also carry a component's selector labels. */}}
{{- define "redstats.baseLabels" -}}
app.kubernetes.io/part-of: redstats
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{/* The selector of one component: .component is its name. */}}
{{- define "redstats.selector" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{/* The image of one module: .module is its Maven module. */}}
{{- define "redstats.image" -}}
{{- $img := .root.Values.image -}}
{{- if $img.registry }}{{ $img.registry }}/{{ end }}{{ $img.repository }}/{{ .module }}:{{ $img.tag }}
{{- end }}

{{/* Probes on Spring Boot's health groups; the port is the container's port named http. */}}
{{- define "redstats.probes" -}}
startupProbe:
  httpGet: {path: /actuator/health/liveness, port: http}
  periodSeconds: 5
  failureThreshold: 60
livenessProbe:
  httpGet: {path: /actuator/health/liveness, port: http}
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /actuator/health/readiness, port: http}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end }}

{{/* Hardening shared by every service container (the image runs as 65534). */}}
{{- define "redstats.podSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 65534
  runAsGroup: 65534
  fsGroup: 65534
  seccompProfile: {type: RuntimeDefault}
{{- end }}

{{- define "redstats.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  capabilities: {drop: [ALL]}
{{- end }}

{{/* The JWT secret, from the Secret, never a literal or an argument. */}}
{{- define "redstats.jwtEnv" -}}
- name: REDSTATS_SECURITY_JWT_SECRET
  valueFrom:
    secretKeyRef: {name: {{ .Values.secretName }}, key: jwt-secret}
{{- end }}

{{/* SASL/SCRAM credentials of a Kafka user (.user): Strimzi's User Operator writes the Secret. */}}
{{- define "redstats.kafkaSaslEnv" -}}
{{- if eq .root.Values.engines.mode "operators" }}
- name: REDSTATS_KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef: {name: {{ .user }}, key: sasl.jaas.config}
{{- end }}
{{- end }}

{{/* The PostgreSQL password: CloudNativePG's app secret, or the chart's Secret for an external one. */}}
{{- define "redstats.postgresEnv" -}}
{{- if eq .Values.engines.mode "operators" }}
- name: SPRING_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef: {name: redstats-pg-app, key: username}
- name: SPRING_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef: {name: redstats-pg-app, key: password}
{{- else }}
- name: SPRING_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .Values.secretName }}, key: postgres-password}
{{- end }}
{{- end }}

{{- define "redstats.clickhouseEnv" -}}
- name: REDSTATS_CLICKHOUSE_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .Values.secretName }}, key: clickhouse-password}
{{- end }}
