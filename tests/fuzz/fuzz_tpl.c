/*
 * Templates: the input is a template (and its own partial "self"),
 * rendered as HTML and as text against a fixed model with every kind of
 * value a page model has.
 */
#include <jansson.h>

#include "core/tpl.h"
#include "fuzz.h"

static json_t	*model;

static const char	model_json[] =
    "{\"title\": \"<b>T&amp;</b>\", \"n\": 3, \"zero\": 0, \"yes\": true,"
    " \"no\": false, \"none\": null, \"empty\": \"\", \"list\": [{\"name\":"
    " \"A\", \"url\": \"javascript:x\"}], \"names\": [\"x\"], \"obj\": "
    "{\"inner\": {\"deep\": \"\\u0000z\"}}, \"lang\": \"ru\"}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct us_tpls	 set;
	struct us_buf	 out;
	struct us_error	 e;

	if (model == NULL &&
	    (model = json_loads(model_json, JSON_ALLOW_NUL, NULL)) == NULL)
		abort();
	memset(&set, 0, sizeof(set));
	us_tpl_add(&set, "t", (const char *)data, len);
	us_tpl_add(&set, "self", (const char *)data, len);
	us_buf_init(&out);
	us_error_clear(&e);
	(void)us_tpl_render(&set, "t", model, US_TPL_HTML, &out, &e);
	us_buf_reset(&out);
	(void)us_tpl_render(&set, "t", model, US_TPL_TEXT, &out, &e);
	us_buf_free(&out);
	us_tpl_free(&set);
	return (0);
}
