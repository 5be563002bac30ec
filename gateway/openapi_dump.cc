// Prints the OpenAPI document the gateway serves at /openapi.json, so that
// docs/openapi.json can be regenerated:
//   build/gateway/openapi_dump > docs/openapi.json
#include <iostream>

#include "gateway/openapi.h"

int main() {
  std::cout << socm::gateway::OpenApiDocument(socm::gateway::PublicRoutes()).dump(2) << "\n";
  return 0;
}
