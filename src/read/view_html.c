// SPDX-License-Identifier: MIT
/*
 * The report: src/view/report.html with its @REPORT_CSS@, @REPORT_JS@ and
 * @REPORT_DATA@ markers replaced by the stylesheet, the script and the
 * data.  One file that needs nothing else: no network, no fonts.
 */
#include "read/view.h"

#include <errno.h>
#include <string.h>

extern const char view_report_html[], view_report_css[], view_report_js[];

#define MARK "@REPORT_"

static int write_part(FILE *out, const char *name, size_t len, struct json_object *data)
{
	const char *json;

	if (len == 4 && !memcmp(name, "CSS@", 4))
		fputs(view_report_css, out);
	else if (len == 3 && !memcmp(name, "JS@", 3))
		fputs(view_report_js, out);
	else if (len == 5 && !memcmp(name, "DATA@", 5)) {
		json = json_object_to_json_string_ext(data, JSON_C_TO_STRING_PLAIN |
							      JSON_C_TO_STRING_NOSLASHESCAPE);
		if (!json)
			return -ENOMEM;
		view_write_json(out, json);
	} else
		return -EINVAL; /* a marker the template should not have */
	return 0;
}

int view_write_html(FILE *out, struct json_object *data)
{
	const char *t = view_report_html, *m;
	int r;

	while ((m = strstr(t, MARK))) {
		const char *name = m + strlen(MARK), *end = strchr(name, '@');

		if (!end)
			return -EINVAL;
		fwrite(t, 1, (size_t)(m - t), out);
		r = write_part(out, name, (size_t)(end - name + 1), data);
		if (r < 0)
			return r;
		t = end + 1;
	}
	fputs(t, out);
	return ferror(out) ? -EIO : 0;
}
