#pragma once
// What a route asks of its caller: socm::Need, shared with the backends, which check the
// same rule again per RPC.

#include "services/common/access.h"
