# Shared by the CGI handlers and the worker.
respond_json() {
  printf 'Content-Type: application/json\r\n\r\n%s\n' "$1"
}
