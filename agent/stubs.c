#include "cli.h"
enum status cmd_refresh(const struct invocation *inv, struct error *err) { return error_set(err, STATUS_USAGE, "todo"); }
enum status cmd_status(const struct invocation *inv, struct error *err) { return error_set(err, STATUS_USAGE, "todo"); }
enum status cmd_fingerprint(const struct invocation *inv, struct error *err) { return error_set(err, STATUS_USAGE, "todo"); }
enum status cmd_remove(const struct invocation *inv, struct error *err) { return error_set(err, STATUS_USAGE, "todo"); }
enum status cmd_check_config(const struct invocation *inv, struct error *err) { return error_set(err, STATUS_USAGE, "todo"); }
