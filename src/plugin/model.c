#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/action.h"
#include "core/buf.h"
#include "core/country.h"
#include "core/i18n.h"
#include "core/markdown.h"
#include "core/siglist.h"
#include "plugin/plugin.h"

static const char	*str(const json_t *, const char *);
static size_t		 count(const json_t *, const char *);
static int		 country_cmp(const void *, const void *);
static void		 model_countries(struct us_model *);
static void		 model_actions(struct us_model *);
static const char	*model_keep(struct us_model *, char *);
static const char	*model_country_name(struct us_model *, const char *);
static void		 model_signatory_countries(struct us_model *,
			    struct us_p_signatory *, const json_t *);
static void		 model_status_line(struct us_model *);
static const char	*model_tr(const struct us_p_statement *,
			    const char *);
static const char	*model_ntr(const struct us_p_statement *,
			    const char *, const char *, unsigned long);
static int		 model_date(const struct us_p_statement *,
			    const char *, int, char *, size_t);

/* Optional strings are NULL when absent or empty, never "". */
static const char *
str(const json_t *o, const char *key)
{
	const char	*s;

	s = json_string_value(json_object_get(o, key));
	return (s != NULL && *s != '\0' ? s : NULL);
}

static size_t
count(const json_t *o, const char *key)
{
	json_int_t	n;

	n = json_integer_value(json_object_get(o, key));
	return (n > 0 ? (size_t)n : 0);
}

static int
country_cmp(const void *a, const void *b)
{
	const struct us_p_country_count	*x, *y;

	x = *(const struct us_p_country_count *const *)a;
	y = *(const struct us_p_country_count *const *)b;

	if (x->count != y->count)
		return (x->count > y->count ? -1 : 1);
	return (strcmp(x->country, y->country));
}

/* A string the model made, freed with it. */
static const char *
model_keep(struct us_model *m, char *s)
{
	m->strings = us_realloc(m->strings, (m->nstrings + 1) *
	    sizeof(*m->strings));
	m->strings[m->nstrings++] = s;
	return (s);
}

/*
 * A country's name in the statement's language, from iso-codes'
 * catalogue when the server loaded it, else the English short name.
 */
static const char *
model_country_name(struct us_model *m, const char *code)
{
	const char	*name;

	if (code == NULL)
		return (NULL);
	if ((name = us_country_name_in(code, m->st.lang)) == NULL)
		name = us_country_name(code);
	return (name);
}

/*
 * Every country of one signatory: "countries" when the JSON has it, else
 * "country" and "country2".  A "country_name" given for the first one is
 * kept (a model file may say it its own way).
 */
static void
model_signatory_countries(struct us_model *m, struct us_p_signatory *s,
    const json_t *o)
{
	const char	**codes, **names;
	const json_t	*a, *v;
	size_t		 i, n = 0;

	a = json_object_get(o, "countries");
	codes = us_calloc(json_array_size(a) + 3, sizeof(*codes));
	names = us_calloc(json_array_size(a) + 3, sizeof(*names));
	if (json_is_array(a)) {
		json_array_foreach(a, i, v) {
			if (json_string_value(v) != NULL &&
			    *json_string_value(v) != '\0')
				codes[n++] = json_string_value(v);
		}
	} else {
		if (str(o, "country") != NULL)
			codes[n++] = str(o, "country");
		if (str(o, "country2") != NULL)
			codes[n++] = str(o, "country2");
	}
	for (i = 0; i < n; i++)
		names[i] = model_country_name(m, codes[i]);
	if (n > 0 && str(o, "country_name") != NULL)
		names[0] = str(o, "country_name");
	model_keep(m, (char *)codes);
	model_keep(m, (char *)names);
	s->ncountries = n;
	s->countries = codes;
	s->country_names = names;
	s->country = n > 0 ? codes[0] : NULL;
	s->country_name = n > 0 ? names[0] : NULL;
}

/*
 * Named organisations by country, most first: one with two countries
 * counts in both.  Organisations that are counted but not named are not
 * here, whatever their country: a small country with one such
 * organisation would otherwise point at it.
 */
/*
 * Confirmed reports of actions taken: every channel, in the fixed order,
 * from "actions_by_channel"; the total is "action_count", or the sum
 * when a model file gives only the channels.
 */
static void
model_actions(struct us_model *m)
{
	struct us_p_statement	*st = &m->st;
	const json_t		*by;
	size_t			 i, n, sum = 0;

	for (n = 0; us_action_channels[n] != NULL; n++)
		;
	by = json_object_get(m->doc, "actions_by_channel");
	m->actions = us_calloc(n, sizeof(*m->actions));
	m->action_ptrs = us_calloc(n + 1, sizeof(*m->action_ptrs));
	for (i = 0; i < n; i++) {
		m->actions[i].channel = us_action_channels[i];
		m->actions[i].count = count(by, us_action_channels[i]);
		sum += m->actions[i].count;
		m->action_ptrs[i] = &m->actions[i];
	}
	st->actions_by_channel = (const struct us_p_action_count *const *)
	    m->action_ptrs;
	st->nactions_by_channel = n;
	st->action_count = count(m->doc, "action_count");
	if (st->action_count < sum)
		st->action_count = sum;
}

static void
model_countries(struct us_model *m)
{
	struct us_p_statement		 *st = &m->st;
	const struct us_p_signatory	 *sg;
	size_t				  i, j, k, max = 0;

	for (i = 0; i < st->nsignatories; i++)
		max += st->signatories[i]->ncountries;
	m->countries = us_calloc(max, sizeof(*m->countries));
	m->country_ptrs = us_calloc(max + 1, sizeof(*m->country_ptrs));
	for (i = 0; i < st->nsignatories; i++) {
		sg = st->signatories[i];
		for (k = 0; k < sg->ncountries; k++) {
			for (j = 0; j < st->ncountries; j++) {
				if (strcmp(m->countries[j].country,
				    sg->countries[k]) == 0)
					break;
			}
			if (j == st->ncountries) {
				m->countries[j].country = sg->countries[k];
				m->countries[j].country_name =
				    sg->country_names[k];
				m->country_ptrs[j] = &m->countries[j];
				st->ncountries++;
			}
			m->countries[j].count++;
		}
	}
	qsort(m->country_ptrs, st->ncountries, sizeof(*m->country_ptrs),
	    country_cmp);
	st->countries = (const struct us_p_country_count *const *)
	    m->country_ptrs;
}

/*
 * What the document is, in its own words: "Published 9 December 2026,
 * version 2", or "Open for signatures — list as of 14:05 UTC, 7 December
 * 2026" so that a file taken mid-campaign never looks final.
 */
static void
model_status_line(struct us_model *m)
{
	struct us_p_statement	*st = &m->st;
	struct us_buf		 b;
	const char		*tpl, *p, *when;

	if (strcmp(st->status, "published") == 0)
		tpl = us_i18n(st->lang, US_N_("Published {date}, version "
		    "{version}"));
	else if (strcmp(st->status, "open") == 0)
		tpl = us_i18n(st->lang, US_N_("Open for signatures "
		    "\xe2\x80\x94 list as of {time} UTC, {date}"));
	else if (strcmp(st->status, "closed") == 0)
		tpl = us_i18n(st->lang, US_N_("Closed for signatures "
		    "\xe2\x80\x94 list as of {time} UTC, {date}"));
	else
		tpl = us_i18n(st->lang, US_N_("Draft \xe2\x80\x94 list as of "
		    "{time} UTC, {date}"));
	when = strcmp(st->status, "published") == 0 ? (st->published_at !=
	    NULL ? st->published_at : st->date) : st->list_as_of;
	us_buf_init(&b);
	for (p = tpl; *p != '\0';) {
		if (strncmp(p, "{date}", 6) == 0) {
			us_i18n_date(&b, st->lang, when);
			p += 6;
		} else if (strncmp(p, "{time}", 6) == 0) {
			if (when != NULL && strlen(when) >= 16 &&
			    when[10] == 'T')
				us_buf_append(&b, when + 11, 5);
			p += 6;
		} else if (strncmp(p, "{version}", 9) == 0) {
			us_buf_appendf(&b, "%u", st->text_version > 0 ?
			    st->text_version : 1);
			p += 9;
		} else
			us_buf_putc(&b, *p++);
	}
	st->status_line = model_keep(m, us_strdup(b.data));
	us_buf_free(&b);
}

static const char *
model_tr(const struct us_p_statement *st, const char *msgid)
{
	return (msgid != NULL ? us_i18n(st->lang, msgid) : NULL);
}

static const char *
model_ntr(const struct us_p_statement *st, const char *one,
    const char *many, unsigned long n)
{
	return (us_i18n_n(st->lang, one, many, n));
}

static int
model_date(const struct us_p_statement *st, const char *ymd, int weekday,
    char *buf, size_t len)
{
	struct us_buf	b;
	int		ok;

	if (ymd == NULL || strlen(ymd) < 10 || ymd[4] != '-' || ymd[7] != '-')
		return (0);
	us_buf_init(&b);
	if (weekday)
		us_i18n_date_weekday(&b, st->lang, ymd);
	else
		us_i18n_date(&b, st->lang, ymd);
	/* Not a date: us_i18n_date() wrote it back as it was. */
	ok = b.len > 0 && strcmp(b.data, ymd) != 0 && b.len < len;
	if (ok)
		memcpy(buf, b.data, b.len + 1);
	us_buf_free(&b);
	return (ok);
}

/*
 * The same from a JSON model without signatories and the list as compact
 * rows (src/db/lists.c): each row's countries sit in two shared arrays,
 * three slots a row, so 100,000 names cost a few allocations, not
 * hundreds of thousands.  rows must outlive the model.
 */
int
us_model_build_rows(struct us_model *m, json_t *doc,
    const struct us_siglist *rows, struct us_error *err)
{
	struct us_p_statement	*st = &m->st;
	struct us_p_signatory	*sg;
	const struct us_sigrow	*r;
	const char		**codes, **names;
	size_t			 i, n;

	if (!us_model_build(m, doc, err))
		return (US_FAIL);
	if (st->nsignatories > 0) {
		us_model_free(m);
		return (us_error_set(err, US_E_INTERNAL, "signatories",
		    "bad_model", "a model with rows has signatories of its own"));
	}
	free(m->signatories);
	free(m->signatory_ptrs);
	free(m->countries);
	free(m->country_ptrs);
	m->countries = NULL;
	m->country_ptrs = NULL;
	m->signatories = us_calloc(rows->n + 1, sizeof(*m->signatories));
	m->signatory_ptrs = us_calloc(rows->n + 1,
	    sizeof(*m->signatory_ptrs));
	m->row_codes = us_calloc(rows->n * 3 + 1, sizeof(*m->row_codes));
	m->row_names = us_calloc(rows->n * 3 + 1, sizeof(*m->row_names));
	for (i = 0; i < rows->n; i++) {
		r = &rows->v[i];
		sg = &m->signatories[i];
		codes = m->row_codes + i * 3;
		names = m->row_names + i * 3;
		n = 0;
		if (r->country != NULL)
			codes[n++] = r->country;
		if (r->country2 != NULL)
			codes[n++] = r->country2;
		sg->position = r->position > 0 ? r->position :
		    (unsigned int)(i + 1);
		sg->organisation = r->organisation;
		sg->acronym = r->acronym;
		sg->signed_on = r->signed_on;
		sg->ncountries = n;
		sg->countries = codes;
		sg->country_names = names;
		while (n-- > 0)
			names[n] = model_country_name(m, codes[n]);
		sg->country = sg->ncountries > 0 ? codes[0] : NULL;
		sg->country_name = sg->ncountries > 0 ? names[0] : NULL;
		m->signatory_ptrs[i] = sg;
	}
	st->signatories = (const struct us_p_signatory *const *)
	    m->signatory_ptrs;
	st->nsignatories = rows->n;
	if (st->signature_count < st->nsignatories + st->unnamed_count)
		st->signature_count = st->nsignatories + st->unnamed_count;
	st->ncountries = 0;
	model_countries(m);
	return (US_OK);
}

/*
 * Builds the plugin's view of a statement from its JSON model.  Only the
 * fields of struct us_p_statement are read: whatever else the JSON holds
 * (an email address, say) never reaches a plugin.
 */
int
us_model_build(struct us_model *m, json_t *doc, struct us_error *err)
{
	struct us_p_statement	*st = &m->st;
	json_t			*a, *o, *e;
	size_t			 i;
	static const char	*required[] = { "slug", "kind", "lang", "title",
				    "body_markdown" };
	char			 now[32];
	struct tm		 tm;
	time_t			 t;

	memset(m, 0, sizeof(*m));
	st->size = sizeof(*st);
	if (!json_is_object(doc))
		return (us_error_set(err, US_E_INVALID, NULL, "bad_model",
		    "the statement model must be a JSON object"));
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (str(doc, required[i]) == NULL)
			return (us_error_set(err, US_E_INVALID, required[i],
			    "bad_model", "the statement model has no \"%s\"",
			    required[i]));
	}
	m->doc = json_incref(doc);
	st->slug = str(doc, "slug");
	st->kind = str(doc, "kind");
	st->status = str(doc, "status") != NULL ? str(doc, "status") :
	    "published";
	st->lang = str(doc, "lang");
	st->title = str(doc, "title");
	st->place = str(doc, "place");
	st->date = str(doc, "date");
	st->reference = str(doc, "reference");
	st->expires_on = str(doc, "expires_on");
	st->signing_deadline = str(doc, "signing_deadline");
	st->body_markdown = str(doc, "body_markdown");
	st->url = str(doc, "url");
	st->text_digest = str(doc, "text_digest");
	st->coordinator_organisation = str(doc, "coordinator_organisation");
	st->notes_to_editors = str(doc, "notes_to_editors");
	st->about = str(doc, "about");
	st->sample_letter = str(doc, "sample_letter");

	if ((st->body_html = str(doc, "body_html")) == NULL) {
		m->body_html = us_md_html(st->body_markdown);
		st->body_html = m->body_html;
	}
	st->headline = str(doc, "headline") != NULL ? str(doc, "headline") :
	    st->title;
	if ((st->lede = str(doc, "lede")) == NULL) {
		m->lede = us_md_first_paragraph(st->body_markdown);
		st->lede = m->lede;
	}
	if ((st->generated_at = str(doc, "generated_at")) == NULL) {
		t = time(NULL);
		gmtime_r(&t, &tm);
		(void)strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_object_set_new(m->doc, "generated_at", json_string(now));
		st->generated_at = str(m->doc, "generated_at");
	}

	if ((e = json_object_get(doc, "embargo")) != NULL &&
	    str(e, "until") != NULL) {
		m->embargo.until = str(e, "until");
		m->embargo.timezone = str(e, "timezone");
		m->embargo.local = str(e, "local");
		m->embargo.zone = str(e, "zone");
		st->embargo = &m->embargo;
	}

	a = json_object_get(doc, "media_contacts");
	m->contacts = us_calloc(json_array_size(a), sizeof(*m->contacts));
	m->contact_ptrs = us_calloc(json_array_size(a) + 1,
	    sizeof(*m->contact_ptrs));
	json_array_foreach(a, i, o) {
		m->contacts[i].name = str(o, "name");
		m->contacts[i].organisation = str(o, "organisation");
		m->contacts[i].email = str(o, "email");
		m->contacts[i].phone = str(o, "phone");
		m->contacts[i].languages = str(o, "languages");
		m->contacts[i].timezone = str(o, "timezone");
		m->contact_ptrs[i] = &m->contacts[i];
	}
	st->media_contacts = (const struct us_p_media_contact *const *)
	    m->contact_ptrs;
	st->nmedia_contacts = json_array_size(a);

	a = json_object_get(doc, "addressees");
	m->addressees = us_calloc(json_array_size(a), sizeof(*m->addressees));
	m->addressee_ptrs = us_calloc(json_array_size(a) + 1,
	    sizeof(*m->addressee_ptrs));
	json_array_foreach(a, i, o) {
		m->addressees[i].name = str(o, "name");
		m->addressees[i].title = str(o, "title");
		m->addressees[i].address = str(o, "address");
		m->addressees[i].email = str(o, "email");
		m->addressees[i].phone = str(o, "phone");
		m->addressees[i].fax = str(o, "fax");
		m->addressees[i].social = str(o, "social");
		m->addressees[i].salutation = str(o, "salutation");
		m->addressee_ptrs[i] = &m->addressees[i];
	}
	st->addressees = (const struct us_p_addressee *const *)
	    m->addressee_ptrs;
	st->naddressees = json_array_size(a);

	a = json_object_get(doc, "signatories");
	m->signatories = us_calloc(json_array_size(a),
	    sizeof(*m->signatories));
	m->signatory_ptrs = us_calloc(json_array_size(a) + 1,
	    sizeof(*m->signatory_ptrs));
	st->signatories = (const struct us_p_signatory *const *)
	    m->signatory_ptrs;
	json_array_foreach(a, i, o) {
		if (str(o, "organisation") == NULL) {
			us_model_free(m);
			return (us_error_set(err, US_E_INVALID, "signatories",
			    "bad_model", "signatory %zu has no organisation",
			    i + 1));
		}
		m->signatories[i].position = count(o, "position") > 0 ?
		    (unsigned int)count(o, "position") : (unsigned int)(i + 1);
		m->signatories[i].organisation = str(o, "organisation");
		m->signatories[i].acronym = str(o, "acronym");
		model_signatory_countries(m, &m->signatories[i], o);
		m->signatories[i].signed_on = str(o, "signed_on");
		m->signatory_ptrs[i] = &m->signatories[i];
	}
	st->nsignatories = json_array_size(a);
	st->unnamed_count = count(doc, "unnamed_count");
	st->signature_count = count(doc, "signature_count");
	if (st->signature_count < st->nsignatories + st->unnamed_count)
		st->signature_count = st->nsignatories + st->unnamed_count;
	model_countries(m);

	st->list_as_of = str(doc, "list_as_of") != NULL ?
	    str(doc, "list_as_of") : st->generated_at;
	st->published_at = str(doc, "published_at");
	st->text_version = (unsigned int)count(doc, "version");
	st->record_digest = str(doc, "record_digest");
	st->record_key_id = str(doc, "record_key_id");
	st->tr = model_tr;
	st->ntr = model_ntr;
	st->format_date = model_date;
	model_actions(m);
	if ((st->status_line = str(doc, "status_line")) == NULL)
		model_status_line(m);
	return (US_OK);
}

void
us_model_free(struct us_model *m)
{
	size_t	i;

	json_decref(m->doc);
	free(m->addressees);
	free(m->addressee_ptrs);
	free(m->signatories);
	free(m->signatory_ptrs);
	free(m->countries);
	free(m->country_ptrs);
	free(m->contacts);
	free(m->contact_ptrs);
	free(m->actions);
	free(m->action_ptrs);
	for (i = 0; i < m->nstrings; i++)
		free(m->strings[i]);
	free(m->strings);
	free(m->row_codes);
	free(m->row_names);
	free(m->lede);
	free(m->body_html);
	memset(m, 0, sizeof(*m));
}
