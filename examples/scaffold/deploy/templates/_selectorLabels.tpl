app.kubernetes.io/name: {{include "name" this}}
app.kubernetes.io/instance: {{release.name~}}
