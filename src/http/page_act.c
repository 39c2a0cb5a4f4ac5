#include <stdlib.h>
#include <string.h>

#include "core/act.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/markdown.h"
#include "http/http.h"

/*
 * What an urgent action's page adds so that readers act, not only read:
 * the sample letter, and for each addressee the ready ways to reach
 * them (an email with the letter filled in, tel: and fax: links, the
 * social profile, the printable letter); the expiry notice; the links
 * between an action and its updates.  In the reader's language: the
 * letter of the language version shown, the words of the UI's.
 */

static void	act_expiry(json_t *, const char *);
static void	act_updates(json_t *, const char *);
static void	act_addressees(json_t *, const char *, const char *);
static void	act_fill(struct us_buf *, const char *, const char *,
		    const char *);

/* A sentence with one "{key}" in it replaced by value. */
static void
act_fill(struct us_buf *b, const char *tpl, const char *key,
    const char *value)
{
	const char	*at;

	if ((at = strstr(tpl, key)) == NULL) {
		us_buf_puts(b, tpl);
		return;
	}
	us_buf_append(b, tpl, (size_t)(at - tpl));
	us_buf_puts(b, value);
	us_buf_puts(b, at + strlen(key));
}

/*
 * The expired action: nothing is open to sign, and the page says so in
 * place of the form, with the day it ended.
 */
static void
act_expiry(json_t *st, const char *lang)
{
	struct us_buf	 day, b;
	const char	*exp;

	if (!json_is_true(json_object_get(st, "expired")))
		return;
	json_object_set_new(st, "open", json_false());
	exp = json_string_value(json_object_get(st, "expires_on"));
	us_buf_init(&day);
	us_buf_init(&b);
	if (exp != NULL)
		us_i18n_date(&day, lang, exp);
	act_fill(&b, us_i18n(lang, "This action expired on {date}. It no "
	    "longer takes signatures; its text stays here for the record."),
	    "{date}", day.data != NULL ? day.data : "");
	json_object_set_new(st, "expired_text", json_string(b.data));
	us_buf_free(&day);
	us_buf_free(&b);
}

/*
 * "Update 2 to UA 56.23" on an update, linking back; "Update 1: title"
 * for each later one on the earlier page.  The earlier action is named
 * by its reference, else its title.
 */
static void
act_updates(json_t *st, const char *lang)
{
	struct us_buf	 b;
	json_t		*u;
	const char	*name;
	char		 num[32];
	size_t		 i;

	us_buf_init(&b);
	if (json_is_string(json_object_get(st, "follows")) &&
	    json_is_integer(json_object_get(st, "update_number"))) {
		name = json_string_value(json_object_get(st,
		    "follows_reference"));
		if (name == NULL)
			name = json_string_value(json_object_get(st,
			    "follows_title"));
		(void)snprintf(num, sizeof(num), "%lld", (long long)
		    json_integer_value(json_object_get(st, "update_number")));
		us_buf_reset(&b);
		act_fill(&b, us_i18n(lang, "Update {n} to"), "{n}", num);
		json_object_set_new(st, "update_label", json_string(b.data));
		json_object_set_new(st, "follows_name",
		    json_string(name != NULL ? name : ""));
	}
	json_array_foreach(json_object_get(st, "followed_by"), i, u) {
		(void)snprintf(num, sizeof(num), "%lld", (long long)
		    json_integer_value(json_object_get(u, "update_number")));
		us_buf_reset(&b);
		act_fill(&b, us_i18n(lang, "Update {n}:"), "{n}", num);
		json_object_set_new(u, "label", json_string(b.data));
	}
	json_object_set_new(st, "has_updates", json_boolean(json_array_size(
	    json_object_get(st, "followed_by")) > 0));
	us_buf_free(&b);
}

/*
 * Each addressee's links.  The email carries the salutation and the
 * sample letter, cut to what mail clients take (core/act.c) with a
 * pointer to the page for the rest; its subject is the reference and
 * the title.
 */
static void
act_addressees(json_t *st, const char *slug, const char *lang)
{
	struct us_buf	 subject, body, tail, link;
	json_t		*a;
	const char	*letter, *ref, *title, *v, *version;
	size_t		 i;

	letter = json_string_value(json_object_get(st, "sample_letter"));
	ref = json_string_value(json_object_get(st, "reference"));
	title = json_string_value(json_object_get(st, "title"));
	us_buf_init(&subject);
	us_buf_init(&body);
	us_buf_init(&tail);
	us_buf_init(&link);
	if (ref != NULL)
		us_buf_appendf(&subject, "%s: ", ref);
	us_buf_puts(&subject, title != NULL ? title : "");
	act_fill(&tail, us_i18n(lang, "The full letter is on the page {url}"),
	    "{url}", json_string_value(json_object_get(st, "canonical_url")));

	/* The printable letters, in the language version shown. */
	us_buf_puts(&link, "/s/");
	us_esc_url(&link, slug);
	us_buf_puts(&link, "/download/letter");
	version = json_string_value(json_object_get(st, "lang"));
	if (version != NULL && json_is_string(json_object_get(st,
	    "base_lang")) && strcmp(version, json_string_value(
	    json_object_get(st, "base_lang"))) != 0) {
		us_buf_puts(&link, "?lang=");
		us_esc_url(&link, version);
	}
	json_object_set_new(st, "letter_url", json_string(link.data));

	json_array_foreach(json_object_get(st, "addressees"), i, a) {
		if ((v = json_string_value(json_object_get(a, "email"))) !=
		    NULL) {
			us_buf_reset(&body);
			if (letter != NULL) {
				v = json_string_value(json_object_get(a,
				    "salutation"));
				if (v != NULL)
					us_buf_appendf(&body, "%s\n\n", v);
				us_buf_puts(&body, letter);
			}
			us_buf_reset(&link);
			json_object_set_new(a, "mailto_cut", json_boolean(
			    us_act_mailto(&link, json_string_value(
			    json_object_get(a, "email")), subject.data,
			    body.data, tail.data, US_ACT_MAILTO_MAX)));
			json_object_set_new(a, "mailto", json_string(
			    link.data));
		}
		us_buf_reset(&link);
		if ((v = json_string_value(json_object_get(a, "phone"))) !=
		    NULL && us_act_tel(&link, "tel", v))
			json_object_set_new(a, "tel_href",
			    json_string(link.data));
		us_buf_reset(&link);
		if ((v = json_string_value(json_object_get(a, "fax"))) !=
		    NULL && us_act_tel(&link, "fax", v))
			json_object_set_new(a, "fax_href",
			    json_string(link.data));
		us_buf_reset(&link);
		if ((v = json_string_value(json_object_get(a, "social"))) !=
		    NULL && us_act_social_url(&link, v))
			json_object_set_new(a, "social_url",
			    json_string(link.data));
	}
	us_buf_free(&subject);
	us_buf_free(&body);
	us_buf_free(&tail);
	us_buf_free(&link);
}

/*
 * Called once the page model is complete (canonical_url, open, the
 * language version's fields in place).
 */
void
us_page_act_model(json_t *st, const char *slug, const char *lang)
{
	const char	*kind, *letter;
	char		*html;

	kind = json_string_value(json_object_get(st, "kind"));
	act_expiry(st, lang);
	act_updates(st, lang);
	if (kind == NULL || (strcmp(kind, "urgent_action") != 0 &&
	    strcmp(kind, "open_letter") != 0) ||
	    json_array_size(json_object_get(st, "addressees")) == 0)
		return;
	json_object_set_new(st, "has_actions", json_true());
	if ((letter = json_string_value(json_object_get(st,
	    "sample_letter"))) != NULL) {
		html = us_md_html(letter);
		json_object_set_new(st, "sample_letter_html",
		    json_string(html));
		free(html);
	}
	act_addressees(st, slug, lang);
}
