{{#if values.serviceAccount.create~}}
  {{default (include "fullname" this) values.serviceAccount.name~}}
{{else~}}
  {{default "default" values.serviceAccount.name~}}
{{/if~}}
