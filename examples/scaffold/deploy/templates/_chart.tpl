{{!-- helm: define "scaffold.chart": <chart>-<version> for the helm.sh/chart label --}}
{{trimSuffix "-" (trunc 63 (replace "+" "_" (printf "%s-%s" values.chart.name values.chart.version)))~}}
