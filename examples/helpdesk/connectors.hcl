# ServiceNow's Table API. For demos and `parley test -live` it is the stand-in
# in backend/ (make test starts it); for a real instance set SERVICENOW_URL
# (https://INSTANCE.service-now.com) and add
#   auth { api_key_env = "SERVICENOW_API_KEY", api_key_header = "x-sn-apikey" }.
# The conversation tests answer its calls with the mocks in tests/mocks.hcl.

connector "servicenow" {
  type         = "http"
  description  = "ServiceNow: users and incidents"
  base_url     = "http://127.0.0.1:8091"
  base_url_env = "HELPDESK_API_URL"
  timeout      = "5s"

  retry {
    attempts = 2
    backoff  = "300ms"
  }

  operation "find_user" {
    description = "The user with an email address: its sys_id, or none"
    input       = { email = string }
    output      = { sys_id = string, name = string }
    path        = "/api/now/table/sys_user"
    query       = { sysparm_query = "email={email}", sysparm_limit = "1" }
    result      = { sys_id = "result[0].sys_id", name = "result[0].name" }
  }

  operation "list_incidents" {
    description = "The incidents a user opened, newest first"
    input       = { email = string }
    output      = { incidents = list(object({ number = string, short_description = string, opened_at = string, incident_state = string })) }
    path        = "/api/now/table/incident"
    query       = { sysparm_query = "caller_id.email={email}", sysparm_display_value = "true" }
    result      = { incidents = "result" }
  }

  operation "create_incident" {
    description = "Open an incident"
    input       = { short_description = string, description = string, urgency = number, caller_id = string }
    output      = { number = string }
    method      = "POST"
    path        = "/api/now/table/incident"
    result      = { number = "result.number" }
    idempotent  = false # ServiceNow does not deduplicate by Idempotency-Key
  }
}
