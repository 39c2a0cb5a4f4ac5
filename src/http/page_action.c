#include <stdio.h>
#include <string.h>

#include "core/action.h"
#include "core/i18n.h"
#include "http/http.h"

/*
 * What a statement's public page says and offers about acting on it:
 * "1,204 actions taken", "Delivered to 3 addressees on 9 December
 * 2026", and the form to report an action, which it offers only while
 * reports are taken (open, addressees named, not expired).
 */
int
us_page_actions(struct us_db *db, json_t *st, const char *slug,
    const char *lang, struct us_error *err)
{
	json_t		*a;
	struct us_buf	 b, num;
	const char	*t, *at, *on;
	json_int_t	 n;

	if ((a = us_db_action_page(db, slug, err)) == NULL)
		return (US_FAIL);
	us_buf_init(&b);
	us_buf_init(&num);
	n = json_integer_value(json_object_get(st, "action_count"));
	if (n > 0) {
		us_action_number(&num, lang, (unsigned long)n);
		t = us_i18n_n(lang, US_NN_("{n} action taken",
		    "{n} actions taken"), (unsigned long)n);
		if ((at = strstr(t, "{n}")) != NULL) {
			us_buf_append(&b, t, (size_t)(at - t));
			us_buf_puts(&b, num.data);
			us_buf_puts(&b, at + 3);
		} else
			us_buf_puts(&b, t);
		json_object_set_new(st, "actions_text", json_string(b.data));
	}
	n = json_integer_value(json_object_get(a, "delivered_count"));
	on = json_string_value(json_object_get(a, "delivered_on"));
	if (n > 0 && on != NULL) {
		us_buf_reset(&b);
		us_buf_reset(&num);
		us_i18n_date(&num, lang, on);
		t = us_i18n_n(lang, US_NN_("Delivered to {n} addressee on {date}",
		    "Delivered to {n} addressees on {date}"), (unsigned long)n);
		for (; *t != '\0'; t++) {
			if (strncmp(t, "{n}", 3) == 0) {
				us_buf_appendf(&b, "%lld", (long long)n);
				t += 2;
			} else if (strncmp(t, "{date}", 6) == 0) {
				us_buf_puts(&b, num.data);
				t += 5;
			} else
				us_buf_putc(&b, *t);
		}
		json_object_set_new(st, "delivered_text", json_string(b.data));
	}
	json_object_set_new(st, "can_report", json_boolean(
	    strcmp(json_string_value(json_object_get(st, "status")), "open") ==
	    0 && json_integer_value(json_object_get(a, "addressee_count")) > 0 &&
	    !us_action_expired(json_string_value(json_object_get(st,
	    "expires_on")), json_string_value(json_object_get(a, "today")))));
	us_buf_free(&b);
	us_buf_free(&num);
	json_decref(a);
	us_page_action_form(st, NULL, NULL, lang);
	return (US_OK);
}

/*
 * The report form's state under "action", apart from the sign form's:
 * both ask for an email and a country, and an error on one must not
 * show on the other.
 */
void
us_page_action_form(json_t *st, const struct us_fields *typed,
    const struct us_errlist *errs, const char *lang)
{
	json_t		*form, *channels, *ad;
	const char	*chosen, *who;
	char		 idx[24];
	size_t		 i;

	form = json_object();
	us_page_form_state(form, typed, errs, lang);
	chosen = typed != NULL ? us_fields_get(typed, "channel") : NULL;
	channels = json_array();
	for (i = 0; us_action_channels[i] != NULL; i++)
		json_array_append_new(channels, json_pack("{s:s, s:s, s:b}",
		    "value", us_action_channels[i], "label", us_i18n(lang,
		    us_action_channel_label(us_action_channels[i])), "checked",
		    chosen != NULL ? strcmp(chosen, us_action_channels[i]) == 0 :
		    i == 0));
	json_object_set_new(form, "channels", channels);
	who = typed != NULL ? us_fields_get(typed, "addressee") : NULL;
	ad = json_array();
	for (i = 0; i < json_array_size(json_object_get(st, "addressees"));
	    i++) {
		(void)snprintf(idx, sizeof(idx), "%zu", i);
		json_array_append_new(ad, json_pack("{s:s, s:O, s:b}", "index",
		    idx, "name", json_object_get(json_array_get(
		    json_object_get(st, "addressees"), i), "name"), "selected",
		    who != NULL && strcmp(who, idx) == 0));
	}
	json_object_set_new(form, "addressees", ad);
	json_object_set_new(st, "action", form);
}
