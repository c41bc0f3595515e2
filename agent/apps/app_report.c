/* SPDX-License-Identifier: MIT */
/* `status` and the metrics file: each application's last check. */
#include <stdio.h>
#include <string.h>

#include "apps.h"
#include "json.h"
#include "text.h"
#include "timefmt.h"

/* The last checks and the files anchorsync keeps for each application; a
 * file that cannot be read shows as none. */
static void load(const char *state_dir, struct app_records *r, struct app_journal *j)
{
	if (app_records_load(r, state_dir, NULL) != STATUS_OK)
		app_records_free(r);
	if (app_journal_load(j, state_dir, NULL) != STATUS_OK)
		app_journal_free(j);
}

void apps_write_json(struct json *j, const char *state_dir)
{
	struct app_records r;
	struct app_journal jn;

	load(state_dir, &r, &jn);
	json_key(j, "apps");
	json_array_begin(j);
	for (size_t i = 0; i < r.count; i++) {
		const struct app_record *rec = &r.items[i];
		json_object_begin(j);
		json_member_string(j, "name", rec->name);
		json_member_string(j, "type", rec->type);
		json_member_bool(j, "trusted", rec->trusted);
		json_member_int(j, "checked", rec->checked);
		json_key(j, "paths");
		json_array_begin(j);
		for (size_t k = 0; k < jn.count; k++)
			if (strcmp(jn.items[k].app, rec->name) == 0)
				json_string(j, jn.items[k].path);
		json_array_end(j);
		json_member_string(j, "reason", rec->reason);
		json_member_string(j, "warning", rec->warning);
		json_member_string(j, "restart", rec->restart);
		json_key(j, "restarted");
		if (rec->restarted)
			json_int(j, rec->restarted);
		else
			json_null(j);
		json_object_end(j);
	}
	json_array_end(j);
	app_records_free(&r);
	app_journal_free(&jn);
}

void apps_write_text(FILE *out, const char *state_dir)
{
	struct app_records r;
	struct app_journal jn;
	char when[TIME_TEXT_SIZE];

	load(state_dir, &r, &jn);
	for (size_t i = 0; i < r.count; i++) {
		const struct app_record *rec = &r.items[i];
		size_t files = 0;
		for (size_t k = 0; k < jn.count; k++)
			files += strcmp(jn.items[k].app, rec->name) == 0;
		fprintf(out, "app %s (%s): %s", rec->name, rec->type ? rec->type : "?",
			rec->trusted ? "trusted" : "NOT TRUSTED");
		if (rec->reason) {
			fputs(": ", out);
			text_write(out, rec->reason, strlen(rec->reason), false);
		}
		fprintf(out, ", %zu file%s kept\n", files, files == 1 ? "" : "s");
		if (rec->warning) {
			fputs("  warning: ", out);
			text_write(out, rec->warning, strlen(rec->warning), false);
			fputc('\n', out);
		}
		if (rec->restart) {
			time_format_utc((time_t)rec->restarted, when);
			fputs("  last restart: ", out);
			text_write(out, rec->restart, strlen(rec->restart), false);
			fprintf(out, " (%s)\n", when);
		}
	}
	app_records_free(&r);
	app_journal_free(&jn);
}

void apps_write_metrics(FILE *out, const char *state_dir)
{
	struct app_records r;
	struct app_journal jn;

	load(state_dir, &r, &jn);
	fprintf(out, "# HELP anchorsync_app_trusted Whether each application's view trusted every managed root at its last check.\n"
		"# TYPE anchorsync_app_trusted gauge\n");
	for (size_t i = 0; i < r.count; i++)
		fprintf(out, "anchorsync_app_trusted{app=\"%s\",type=\"%s\"} %d\n",
			r.items[i].name, r.items[i].type ? r.items[i].type : "",
			r.items[i].trusted);
	fprintf(out, "# HELP anchorsync_app_restart_success Whether each application's last restart succeeded.\n"
		"# TYPE anchorsync_app_restart_success gauge\n");
	for (size_t i = 0; i < r.count; i++)
		if (r.items[i].restart)
			fprintf(out, "anchorsync_app_restart_success{app=\"%s\"} %d\n",
				r.items[i].name, strcmp(r.items[i].restart, "ok") == 0);
	app_records_free(&r);
	app_journal_free(&jn);
}
