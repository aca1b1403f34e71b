// Event ids as Bronze stores them.
//
//   event_id_code(id) → BLOB or TEXT   what bronze_events.event_id_coded holds for the id: a UUID
//                                      (8-4-4-4-12 lowercase hex digits) as its 16 bytes, any other
//                                      id as its text, a blob as it is; NULL for NULL.
//
// A lookup by id that uses Bronze's unique index:
//   SELECT lh_raw(payload) FROM bronze_events WHERE event_id_coded = event_id_code('8a20529b-...');
#include "engine/event_id.h"
#include "udf/udf_util.h"

namespace litehouse::udf {

void RegisterEventIdFunctions(Registrar* r) {
  AddFunction(r, {"event_id_code"}, 1, SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
              internal::EventIdCodeFunction);
}

}  // namespace litehouse::udf
