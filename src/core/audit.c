#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "i18n.h"
#include "when.h"

/*
 * Every verb the log stores (us_db_audit in src/db), with the sentence
 * it reads as.  {who} is the coordinator (in Russian "Координатор
 * anna@…", so that the verb agrees with the noun whoever acts), {subject}
 * what was acted on, {detail} what the row adds (a reason, a status, a
 * time).  A verb missing here still reads as a sentence, with the verb as
 * stored.
 */
static const struct {
	const char	*action;
	const char	*text;		/* the sentence */
	const char	*with_detail;	/* the same when there is a detail */
} verbs[] = {
	{ "approve", US_N_("{who} approved {subject}"), NULL },
	{ "reject", US_N_("{who} rejected {subject}"),
	    US_N_("{who} rejected {subject}, giving the reason: {detail}") },
	{ "restore", US_N_("{who} restored {subject}"), NULL },
	{ "signature edited", US_N_("{who} changed how {subject} is shown"),
	    NULL },
	{ "list order", US_N_("{who} changed the order of the public list"),
	    US_N_("{who} changed the order of the public list: {detail}") },
	{ "created", US_N_("{who} created the statement"), NULL },
	{ "edited", US_N_("{who} edited the statement"), NULL },
	{ "translation edited",
	    US_N_("{who} edited the language version {subject}"), NULL },
	{ "status", US_N_("{who} changed the status"),
	    US_N_("{who} changed the status: {detail}") },
	{ "published", US_N_("{who} published the statement"), NULL },
	{ "publication scheduled", US_N_("{who} scheduled the publication"),
	    US_N_("{who} scheduled the publication for {detail}") },
	{ "embargo lifted", US_N_("{who} lifted the embargo"),
	    US_N_("{who} lifted the embargo that held until {detail}") },
	{ "preview link made",
	    US_N_("{who} made a preview link for journalists"), NULL },
	{ "preview link revoked", US_N_("{who} revoked the preview link"),
	    NULL },
	{ "coordinator added",
	    US_N_("{who} added {subject} as a coordinator"), NULL },
	{ "coordinator removed",
	    US_N_("{who} removed {subject} from the coordinators"), NULL },
	{ "imported", US_N_("{who} imported organisations"), NULL },
	{ "deliver",
	    US_N_("{who} delivered version {subject} to the addressees"),
	    NULL },
};

/* Done by nobody in the workspace: the signer, or the service itself. */
static const struct {
	const char	*action;
	const char	*text;
} system_verbs[] = {
	{ "withdrawn by the signer",
	    US_N_("{subject} withdrew its signature") },
	{ "contact data anonymised", US_N_("The signatories' contact data "
	    "were anonymised at the end of the retention period") },
	{ "published", US_N_("The statement was published at the scheduled "
	    "time") },
};

/* Stored values a detail names, in words. */
static const struct {
	const char	*value;
	const char	*label;
} values[] = {
	{ "draft", US_N_("draft") },
	{ "open", US_N_("open for signatures") },
	{ "closed", US_N_("signing closed") },
	{ "published", US_N_("published") },
	{ "date", US_N_("by date of signing") },
	{ "alphabetical", US_N_("alphabetical") },
	{ "manual", US_N_("set by hand, initiators first") },
};

static void		 expand(struct us_buf *, const char *, const char *,
			    const char *, const char *);
static const char	*value_label(const char *, const char *);

static const char *
value_label(const char *lang, const char *v)
{
	size_t	i;

	for (i = 0; v != NULL && i < sizeof(values) / sizeof(values[0]); i++)
		if (strcmp(v, values[i].value) == 0)
			return (us_i18n(lang, values[i].label));
	return (v != NULL ? v : "");
}

/* Writes text with {who}, {subject} and {detail} put in. */
static void
expand(struct us_buf *b, const char *text, const char *who,
    const char *subject, const char *detail)
{
	const char	*p, *v;
	size_t		 n;

	for (p = text; *p != '\0'; p += n) {
		v = NULL;
		n = 0;
		if (strncmp(p, "{who}", 5) == 0)
			v = who, n = 5;
		else if (strncmp(p, "{subject}", 9) == 0)
			v = subject, n = 9;
		else if (strncmp(p, "{detail}", 8) == 0)
			v = detail, n = 8;
		if (v != NULL) {
			us_buf_puts(b, v);
			continue;
		}
		n = strcspn(p + 1, "{") + 1;
		us_buf_append(b, p, n);
	}
}

/*
 * Appends the sentence of row r in lang; zone names the zone of
 * r->subject_local.
 */
void
us_audit_sentence(struct us_buf *b, const char *lang,
    const struct us_audit_row *r, const char *zone)
{
	struct us_buf	 who, detail;
	const char	*text = NULL, *v, *reason;
	char		*n;
	size_t		 i;
	long		 count;

	us_buf_init(&who);
	us_buf_init(&detail);
	if (!r->by_coordinator) {
		for (i = 0; i < sizeof(system_verbs) / sizeof(system_verbs[0]);
		    i++)
			if (strcmp(r->action, system_verbs[i].action) == 0)
				text = us_i18n(lang, system_verbs[i].text);
		if (text != NULL) {
			expand(b, text, "", r->subject != NULL ? r->subject :
			    "", "");
			goto done;
		}
	}
	if (r->who != NULL && *r->who != '\0') {
		/* TRANSLATORS: who did something in the audit log; Russian
		   "Координатор {who}" keeps the verb's gender right. */
		expand(&who, us_i18n_ctx(lang, "audit", "{who}"), r->who,
		    NULL, NULL);
	} else
		us_buf_puts(&who, r->by_coordinator ? us_i18n(lang,
		    "A former coordinator") : us_i18n(lang, "The service"));

	if (strcmp(r->action, "reject") == 0 && (reason = json_string_value(
	    json_object_get(r->after, "reason"))) != NULL && *reason != '\0')
		us_buf_puts(&detail, reason);
	else if (strcmp(r->action, "status") == 0 && (v = json_string_value(
	    json_object_get(r->after, "status"))) != NULL) {
		us_buf_appendf(&detail, "%s \xe2\x86\x92 %s", value_label(lang,
		    json_string_value(json_object_get(r->before, "status"))),
		    value_label(lang, v));
	} else if (strcmp(r->action, "list order") == 0 && r->subject != NULL)
		us_buf_puts(&detail, value_label(lang, r->subject));
	else if (r->subject_local != NULL)
		(void)us_when_stamp(&detail, lang, r->subject_local, zone);

	if (strcmp(r->action, "imported") == 0 && r->subject != NULL &&
	    (count = strtol(r->subject, &n, 10)) >= 0 && *n == '\0') {
		expand(&detail, us_i18n_n(lang, "{who} imported {n} "
		    "organisation", "{who} imported {n} organisations",
		    (unsigned long)count), who.data, NULL, NULL);
		v = strstr(detail.data, "{n}");
		us_buf_append(b, detail.data, v != NULL ?
		    (size_t)(v - detail.data) : detail.len);
		if (v != NULL) {
			us_buf_puts(b, r->subject);
			us_buf_puts(b, v + 3);
		}
		goto done;
	}
	if (strcmp(r->action, "preview link made") == 0 && r->subject != NULL &&
	    (count = strtol(r->subject, &n, 10)) > 0 && *n == '\0') {
		expand(&detail, us_i18n_n(lang, "{who} made a preview link for "
		    "journalists, valid for {n} day", "{who} made a preview "
		    "link for journalists, valid for {n} days",
		    (unsigned long)count), who.data, NULL, NULL);
		v = strstr(detail.data, "{n}");
		us_buf_append(b, detail.data, v != NULL ?
		    (size_t)(v - detail.data) : detail.len);
		if (v != NULL) {
			us_buf_puts(b, r->subject);
			us_buf_puts(b, v + 3);
		}
		goto done;
	}
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(r->action, verbs[i].action) != 0)
			continue;
		text = detail.len > 0 && verbs[i].with_detail != NULL ?
		    verbs[i].with_detail : verbs[i].text;
		break;
	}
	if (text == NULL) {
		/* TRANSLATORS: an action the log knows no sentence for. */
		expand(b, us_i18n(lang, "{who}: {detail}"), who.data, NULL,
		    r->action);
		if (r->subject != NULL && *r->subject != '\0') {
			us_buf_puts(b, " \xe2\x80\x94 ");
			us_buf_puts(b, r->subject);
		}
		goto done;
	}
	expand(b, us_i18n(lang, text), who.data, r->subject != NULL ?
	    r->subject : "", detail.data != NULL ? detail.data : "");
done:
	us_buf_free(&who);
	us_buf_free(&detail);
}
