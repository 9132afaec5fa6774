{{!-- helm: define "scaffold.fullname": <release>-<name>, or the release name when it contains the name --}}
{{#if values.fullnameOverride~}}
  {{trimSuffix "-" (trunc 63 values.fullnameOverride)~}}
{{else if (contains (default values.chart.name values.nameOverride) release.name)~}}
  {{trimSuffix "-" (trunc 63 release.name)~}}
{{else~}}
  {{trimSuffix "-" (trunc 63 (printf "%s-%s" release.name (default values.chart.name values.nameOverride)))~}}
{{/if~}}
