{{!-- helm: define "scaffold.labels"; slipway adds app.kubernetes.io/managed-by itself --}}
helm.sh/chart: {{include "chart" this}}
{{include "selectorLabels" this}}
{{#if values.chart.appVersion}}
app.kubernetes.io/version: {{quote values.chart.appVersion}}
{{/if~}}
