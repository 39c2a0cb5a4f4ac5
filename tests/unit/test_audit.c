/* us_audit: the audit log reads as sentences, in English and Russian. */
#include "helpers.h"

#include "core/audit.h"
#include "core/i18n.h"

static void
sentence_is(const char *lang, const char *who, const char *action,
    const char *subject, const char *local, const char *before,
    const char *after, const char *want)
{
	struct us_audit_row	 r;
	struct us_buf		 b;
	json_t			*jb, *ja;

	jb = before != NULL ? test_json(before) : NULL;
	ja = after != NULL ? test_json(after) : NULL;
	memset(&r, 0, sizeof(r));
	r.who = who;
	r.by_coordinator = who != NULL;
	r.action = action;
	r.subject = subject;
	r.subject_local = local;
	r.before = jb;
	r.after = ja;
	us_buf_init(&b);
	us_audit_sentence(&b, lang, &r, "Asia/Bishkek");
	assert_string_equal(b.data, want);
	us_buf_free(&b);
	json_decref(jb);
	json_decref(ja);
}

static void
test_moderation_in_english(void **state)
{
	(void)state;
	sentence_is("en", "anna@example.org", "approve",
	    "Public Verdict Foundation", NULL, NULL,
	    "{\"status\":\"confirmed\"}",
	    "anna@example.org approved Public Verdict Foundation");
	sentence_is("en", "anna@example.org", "reject", "Spam Org", NULL, NULL,
	    "{\"status\":\"rejected\",\"reason\":\"not an NGO\"}",
	    "anna@example.org rejected Spam Org, giving the reason: "
	    "not an NGO");
	sentence_is("en", "anna@example.org", "reject", "Spam Org", NULL, NULL,
	    "{\"status\":\"rejected\"}", "anna@example.org rejected Spam Org");
	sentence_is("en", NULL, "withdrawn by the signer", "Kylym Shamy", NULL,
	    NULL, NULL, "Kylym Shamy withdrew its signature");
}

static void
test_moderation_in_russian(void **state)
{
	(void)state;
	sentence_is("ru", "anna@example.org", "approve",
	    "Public Verdict Foundation", NULL, NULL, NULL,
	    "Координатор anna@example.org одобрил подпись "
	    "«Public Verdict Foundation»");
	sentence_is("ru", "anna@example.org", "reject", "Spam Org", NULL, NULL,
	    "{\"reason\":\"не НКО\"}",
	    "Координатор anna@example.org отклонил подпись «Spam Org», "
	    "указав причину: не НКО");
	sentence_is("ru", NULL, "withdrawn by the signer", "Kylym Shamy", NULL,
	    NULL, NULL, "Организация «Kylym Shamy» отозвала свою подпись");
}

static void
test_statement_verbs_in_both_languages(void **state)
{
	(void)state;
	sentence_is("en", "anna@example.org", "status", NULL, NULL,
	    "{\"status\":\"draft\"}", "{\"status\":\"open\"}",
	    "anna@example.org changed the status: draft \xe2\x86\x92 "
	    "open for signatures");
	sentence_is("ru", "anna@example.org", "status", NULL, NULL,
	    "{\"status\":\"draft\"}", "{\"status\":\"open\"}",
	    "Координатор anna@example.org изменил статус: черновик "
	    "\xe2\x86\x92 открыто для подписания");
	sentence_is("en", "anna@example.org", "imported", "17", NULL, NULL,
	    NULL, "anna@example.org imported 17 organisations");
	sentence_is("ru", "anna@example.org", "imported", "21", NULL, NULL,
	    NULL, "Координатор anna@example.org импортировал 21 организацию");
	sentence_is("ru", "anna@example.org", "imported", "3", NULL, NULL,
	    NULL, "Координатор anna@example.org импортировал 3 организации");
	sentence_is("en", "anna@example.org", "publication scheduled",
	    "2026-12-08T18:01:00Z", "2026-12-09 00:01", NULL, NULL,
	    "anna@example.org scheduled the publication for 9 December "
	    "2026, 00:01 (Asia/Bishkek)");
	sentence_is("ru", "anna@example.org", "publication scheduled",
	    "2026-12-08T18:01:00Z", "2026-12-09 00:01", NULL, NULL,
	    "Координатор anna@example.org запланировал публикацию на "
	    "9 декабря 2026, 00:01 (Asia/Bishkek)");
	sentence_is("ru", "anna@example.org", "list order", "alphabetical",
	    NULL, NULL, NULL, "Координатор anna@example.org изменил порядок "
	    "публичного списка: по алфавиту");
	sentence_is("ru", NULL, "contact data anonymised", NULL, NULL, NULL,
	    NULL, "Контактные данные подписантов обезличены по истечении "
	    "срока хранения");
	sentence_is("ru", "anna@example.org", "preview link made", "7", NULL,
	    NULL, NULL, "Координатор anna@example.org создал ссылку "
	    "предпросмотра для журналистов, действующую 7 дней");
}

/* A verb this build does not know still reads, with the verb as stored. */
static void
test_unknown_verb_still_reads(void **state)
{
	(void)state;
	sentence_is("en", "anna@example.org", "delivered", "Prosecutor",
	    NULL, NULL, NULL, "anna@example.org: delivered \xe2\x80\x94 "
	    "Prosecutor");
}

static int
setup(void **state)
{
	struct us_error	err;

	(void)state;
	us_error_clear(&err);
	return (us_i18n_load(US_I18N_DIR, &err) == US_OK ? 0 : -1);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_moderation_in_english),
		cmocka_unit_test(test_moderation_in_russian),
		cmocka_unit_test(test_statement_verbs_in_both_languages),
		cmocka_unit_test(test_unknown_verb_still_reads),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
