#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/action.h"
#include "core/buf.h"
#include "core/country.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "mail/mail.h"

static void	render_from_name(const struct us_config *, const char *,
		    struct us_buf *);
static void	render_links(const struct us_config *, json_t *,
		    struct us_buf *);

static void	render_signatories(json_t *, const char *);
static void	render_delivery(json_t *, struct us_mail *, struct us_buf *);

/*
 * Mail about a statement comes from its coordinating organisation "via"
 * the service: "Org via Coalition" where MAIL_FROM is "Coalition
 * <noreply@...>", "Org via undersigned" where it has no name.  The
 * address stays MAIL_FROM's (the relay's SPF and DKIM cover it, and
 * replies go where they always went).
 */
static void
render_from_name(const struct us_config *cfg, const char *org,
    struct us_buf *out)
{
	const char	*lt;
	size_t		 a, b;

	us_buf_puts(out, org);
	us_buf_puts(out, " via ");
	lt = strrchr(cfg->mail_from, '<');
	a = 0;
	b = lt != NULL ? (size_t)(lt - cfg->mail_from) : 0;
	while (a < b && (cfg->mail_from[a] == ' ' || cfg->mail_from[a] == '"'))
		a++;
	while (b > a && (cfg->mail_from[b - 1] == ' ' ||
	    cfg->mail_from[b - 1] == '"'))
		b--;
	if (b > a)
		us_buf_append(out, cfg->mail_from + a, b - a);
	else
		us_buf_puts(out, "undersigned");
}

/* A digest links each statement's queue of signatures to approve. */
static void
render_links(const struct us_config *cfg, json_t *m, struct us_buf *url)
{
	json_t		*st;
	const char	*token;
	size_t		 i;

	json_array_foreach(json_object_get(m, "statements"), i, st) {
		us_buf_reset(url);
		us_buf_appendf(url, "%s/w/s/", cfg->public_url);
		us_esc_url(url, json_string_value(json_object_get(st,
		    "slug")));
		us_buf_puts(url, "/signatures?show=queue");
		json_object_set_new(st, "moderation_url",
		    json_string(url->data));
	}
	us_buf_reset(url);
	us_buf_appendf(url, "%s/w", cfg->public_url);
	json_object_set_new(m, "workspace_url", json_string(url->data));
	if ((token = json_string_value(json_object_get(m,
	    "unsubscribe_token"))) != NULL) {
		us_buf_reset(url);
		us_buf_appendf(url, "%s/w/unsubscribe/%s", cfg->public_url,
		    token);
		json_object_set_new(m, "unsubscribe_url",
		    json_string(url->data));
	}
}

/*
 * "ACRONYM, Country" after each name of the list a delivery carries,
 * countries named in the mail's language.
 */
static void
render_signatories(json_t *m, const char *lang)
{
	struct us_buf	 d;
	json_t		*s;
	const char	*acr, *c1, *c2;
	size_t		 i;

	us_buf_init(&d);
	json_array_foreach(json_object_get(m, "signatories"), i, s) {
		us_buf_reset(&d);
		acr = json_string_value(json_object_get(s, "acronym"));
		c1 = json_string_value(json_object_get(s, "country"));
		c2 = json_string_value(json_object_get(s, "country2"));
		if (acr != NULL)
			us_buf_puts(&d, acr);
		if (c1 != NULL)
			us_buf_appendf(&d, "%s%s", d.len > 0 ? ", " : "",
			    us_country_name_in(c1, lang));
		if (c2 != NULL)
			us_buf_appendf(&d, "%s%s", d.len > 0 ? ", " : "",
			    us_country_name_in(c2, lang));
		if (d.len > 0)
			json_object_set_new(s, "detail", json_string(d.data));
	}
	us_buf_free(&d);
	json_object_set_new(m, "has_unnamed", json_boolean(json_integer_value(
	    json_object_get(m, "unnamed_count")) > 0));
}

/*
 * A letter to an addressee comes from the coordinating organisation (by
 * name; the address stays the service's, which the relay may send for)
 * and answers go to the coordinator who delivered it.  The file
 * rendered at delivery goes with it.
 */
static void
render_delivery(json_t *m, struct us_mail *mail, struct us_buf *from)
{
	const char	*org;

	/* MIME quotes or encodes the name (core/mime.c). */
	org = json_string_value(json_object_get(m,
	    "coordinator_organisation"));
	if (org != NULL && *org != '\0') {
		us_buf_puts(from, org);
		mail->from_name = from->data;
	}
	mail->reply_to = json_string_value(json_object_get(m, "reply_to"));
	mail->attach_name = json_string_value(json_object_get(m, "file_name"));
	mail->attach_type = json_string_value(json_object_get(m, "mime_type"));
	mail->attach_b64 = json_string_value(json_object_get(m, "attachment"));
	if (mail->attach_name == NULL || mail->attach_type == NULL)
		mail->attach_b64 = NULL;
}

/*
 * A message is three templates named after its kind: <kind>.subject.txt,
 * <kind>.txt and <kind>.html.  The model is the outbox row with its
 * signature and statement, plus the links built here.
 */
int
us_mail_render(const struct us_config *cfg, const struct us_tpls *tpls,
    json_t *m, struct us_buf *out, char msgid[US_MIME_MSGID_MAX],
    struct us_error *err)
{
	struct us_buf	 name, subject, text, html, url, from;
	struct us_mail	 mail;
	const char	*kind, *slug, *token, *wtoken, *lang, *org;
	int		 to_coordinator;
	int		 rc = US_FAIL;
	size_t		 i;

	us_buf_init(&name);
	us_buf_init(&subject);
	us_buf_init(&text);
	us_buf_init(&html);
	us_buf_init(&url);
	us_buf_init(&from);
	kind = json_string_value(json_object_get(m, "kind"));
	slug = json_string_value(json_object_get(m, "slug"));
	token = json_string_value(json_object_get(m, "token"));
	wtoken = json_string_value(json_object_get(m, "withdraw_token"));
	to_coordinator = kind != NULL && (strcmp(kind, "login") == 0 ||
	    strcmp(kind, "digest") == 0);
	if (kind == NULL || (slug == NULL && !to_coordinator)) {
		us_error_set(err, US_E_INTERNAL, NULL, "mail_model",
		    "message without kind or statement");
		goto done;
	}

	/* The links each kind of message carries. */
	if (slug != NULL) {
		us_buf_appendf(&url, "%s/s/", cfg->public_url);
		us_esc_url(&url, slug);
		json_object_set_new(m, "statement_url", json_string(url.data));
	}
	if (token != NULL) {
		us_buf_reset(&url);
		us_buf_appendf(&url, "%s/%s/%s", cfg->public_url,
		    strcmp(kind, "login") == 0 ? "w/login" :
		    strcmp(kind, "action") == 0 ? "action" : "verify", token);
		json_object_set_new(m, strcmp(kind, "login") == 0 ?
		    "login_url" : "verify_url", json_string(url.data));
	}
	if (strcmp(kind, "digest") == 0)
		render_links(cfg, m, &url);
	if (wtoken != NULL) {
		us_buf_reset(&url);
		us_buf_appendf(&url, "%s/withdraw/%s", cfg->public_url, wtoken);
		json_object_set_new(m, "withdraw_url", json_string(url.data));
	}
	json_object_set_new(m, "counted", json_boolean(strcmp(
	    json_string_value(json_object_get(m, "visibility")) != NULL ?
	    json_string_value(json_object_get(m, "visibility")) : "",
	    "counted") == 0));

	/*
	 * The signer's language (of the text they signed) when the UI
	 * speaks it, the coordinator's workspace language for a digest; a
	 * sign-in link, or a language without a catalogue, gets the source
	 * language.
	 */
	lang = json_string_value(json_object_get(m, "lang"));
	json_object_set_new(m, "ui_lang", json_string(strcmp(kind, "login") !=
	    0 && lang != NULL && us_i18n_supported(lang) ? lang :
	    US_I18N_SOURCE));

	if (strcmp(kind, "action") == 0 && us_action_channel_label(
	    json_string_value(json_object_get(m, "channel"))) != NULL)
		json_object_set_new(m, "channel_label", json_string(us_i18n(
		    json_string_value(json_object_get(m, "ui_lang")),
		    us_action_channel_label(json_string_value(
		    json_object_get(m, "channel"))))));
	if (strcmp(kind, "delivery") == 0)
		render_signatories(m, json_string_value(json_object_get(m,
		    "ui_lang")));
	us_buf_appendf(&name, "%s.subject.txt", kind);
	if (!us_tpl_render(tpls, name.data, m, US_TPL_TEXT, &subject, err))
		goto done;
	/* One line, whatever the template's trailing newline. */
	for (i = 0; i < subject.len; i++) {
		if (subject.data[i] == '\n' || subject.data[i] == '\r')
			break;
	}
	subject.len = i;
	subject.data[i] = '\0';
	us_buf_reset(&name);
	us_buf_appendf(&name, "%s.txt", kind);
	if (!us_tpl_render(tpls, name.data, m, US_TPL_TEXT, &text, err))
		goto done;
	us_buf_reset(&name);
	us_buf_appendf(&name, "%s.html", kind);
	if (!us_tpl_render(tpls, name.data, m, US_TPL_HTML, &html, err))
		goto done;

	memset(&mail, 0, sizeof(mail));
	mail.from = cfg->mail_from;
	org = json_string_value(json_object_get(m, "coordinator_organisation"));
	if (strcmp(kind, "delivery") == 0)
		render_delivery(m, &mail, &from);
	else if (!to_coordinator && org != NULL && *org != '\0') {
		render_from_name(cfg, org, &from);
		mail.from_name = from.data;
	}
	mail.to = json_string_value(json_object_get(m, "recipient"));
	mail.subject = subject.data;
	mail.text = text.data;
	mail.html = html.data;
	mail.date = time(NULL);
	if (mail.to == NULL) {
		us_error_set(err, US_E_INTERNAL, NULL, "mail_model",
		    "message without recipient");
		goto done;
	}
	rc = us_mime_build(&mail, out, msgid, err);
done:
	us_buf_free(&name);
	us_buf_free(&subject);
	us_buf_free(&text);
	us_buf_free(&html);
	us_buf_free(&url);
	us_buf_free(&from);
	return (rc);
}
