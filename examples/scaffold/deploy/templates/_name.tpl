{{!-- helm: define "scaffold.name": the chart name, or nameOverride --}}
{{trimSuffix "-" (trunc 63 (default values.chart.name values.nameOverride))~}}
