#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "http/http.h"

/*
 * The words for stored values (statuses, kinds, visibility, sources) in
 * the reader's language: the pages show "open for signatures", never
 * "open", and in Russian "открыто для подписания".
 */
static const struct {
	const char	*key;
	const char	*value;
	const char	*label;
} labels[] = {
	{ "status", "draft", US_N_("draft") },
	{ "status", "open", US_N_("open for signatures") },
	{ "status", "closed", US_N_("signing closed") },
	{ "status", "published", US_N_("published") },
	{ "status", "pending", US_N_("unconfirmed") },
	{ "status", "confirmed", US_N_("confirmed") },
	{ "status", "withdrawn", US_N_("withdrawn") },
	{ "status", "rejected", US_N_("rejected") },
	{ "kind", "joint_statement", US_N_("Joint statement") },
	{ "kind", "open_letter", US_N_("Open letter") },
	{ "kind", "urgent_action", US_N_("Urgent action") },
	{ "visibility", "named", US_N_("named") },
	{ "visibility", "counted", US_N_("counted, not named") },
	{ "source", "web", US_N_("web form") },
	{ "source", "api", US_N_("API") },
	{ "source", "import", US_N_("imported") },
	{ "source", "demo", US_N_("demo") },
};

/* Adds <key>_label next to every labelled value of o. */
void
us_ws_labels(json_t *o, const char *lang)
{
	const char	*v;
	char		 name[32];
	size_t		 i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		v = json_string_value(json_object_get(o, labels[i].key));
		if (v == NULL || strcmp(v, labels[i].value) != 0)
			continue;
		(void)snprintf(name, sizeof(name), "%s_label", labels[i].key);
		json_object_set_new(o, name,
		    json_string(us_i18n(lang, labels[i].label)));
	}
}

/* The same for every object of a list. */
void
us_ws_labels_list(json_t *list, const char *lang)
{
	json_t	*o;
	size_t	 i;

	json_array_foreach(list, i, o)
		us_ws_labels(o, lang);
}
