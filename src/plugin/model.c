#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/country.h"
#include "core/markdown.h"
#include "plugin/plugin.h"

static const char	*str(const json_t *, const char *);
static size_t		 count(const json_t *, const char *);
static int		 country_cmp(const void *, const void *);
static void		 model_countries(struct us_model *);

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
	const struct us_p_country_count	*x = a, *y = b;

	if (x->count != y->count)
		return (x->count > y->count ? -1 : 1);
	return (strcmp(x->country, y->country));
}

/*
 * Counts by country, always from the named list: a "countries" in the
 * document is not believed, so an organisation that signed counted, not
 * named can never reach a per-country figure, whoever wrote the model.
 */
static void
model_countries(struct us_model *m)
{
	struct us_p_statement	*st = &m->st;
	size_t			 i, j;

	m->countries = us_calloc(st->nsignatories, sizeof(*m->countries));
	for (i = 0; i < st->nsignatories; i++) {
		if (st->signatories[i].country == NULL)
			continue;
		for (j = 0; j < st->ncountries; j++) {
			if (strcmp(m->countries[j].country,
			    st->signatories[i].country) == 0)
				break;
		}
		if (j == st->ncountries) {
			m->countries[j].country = st->signatories[i].country;
			m->countries[j].country_name =
			    st->signatories[i].country_name;
			st->ncountries++;
		}
		m->countries[j].count++;
	}
	qsort(m->countries, st->ncountries, sizeof(*m->countries),
	    country_cmp);
	st->countries = m->countries;
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
	json_array_foreach(a, i, o) {
		m->contacts[i].name = str(o, "name");
		m->contacts[i].organisation = str(o, "organisation");
		m->contacts[i].email = str(o, "email");
		m->contacts[i].phone = str(o, "phone");
		m->contacts[i].languages = str(o, "languages");
		m->contacts[i].timezone = str(o, "timezone");
	}
	st->media_contacts = m->contacts;
	st->nmedia_contacts = json_array_size(a);

	a = json_object_get(doc, "addressees");
	m->addressees = us_calloc(json_array_size(a), sizeof(*m->addressees));
	json_array_foreach(a, i, o) {
		m->addressees[i].name = str(o, "name");
		m->addressees[i].title = str(o, "title");
		m->addressees[i].address = str(o, "address");
		m->addressees[i].email = str(o, "email");
		m->addressees[i].phone = str(o, "phone");
		m->addressees[i].fax = str(o, "fax");
		m->addressees[i].social = str(o, "social");
	}
	st->addressees = m->addressees;
	st->naddressees = json_array_size(a);

	a = json_object_get(doc, "signatories");
	m->signatories = us_calloc(json_array_size(a),
	    sizeof(*m->signatories));
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
		m->signatories[i].country = str(o, "country");
		m->signatories[i].country_name = str(o, "country_name") != NULL ?
		    str(o, "country_name") : us_country_name(str(o, "country"));
		m->signatories[i].signed_on = str(o, "signed_on");
	}
	st->signatories = m->signatories;
	st->nsignatories = json_array_size(a);
	st->unnamed_count = count(doc, "unnamed_count");
	st->signature_count = count(doc, "signature_count");
	if (st->signature_count < st->nsignatories + st->unnamed_count)
		st->signature_count = st->nsignatories + st->unnamed_count;

	model_countries(m);
	return (US_OK);
}

void
us_model_free(struct us_model *m)
{
	json_decref(m->doc);
	free(m->addressees);
	free(m->signatories);
	free(m->countries);
	free(m->contacts);
	free(m->lede);
	free(m->body_html);
	memset(m, 0, sizeof(*m));
}
