/*
 * us_pcache: the pages kept in a worker's memory, their budget, their
 * order of leaving, and when a page may be served.
 */
#include "helpers.h"

#include "core/pagecache.h"

static void
test_pcache_stores_a_copy_and_finds_it(void **state)
{
	struct us_pcache	*c;
	struct us_pcache_item	*it;
	char			 page[] = "<p>signed</p>";

	(void)state;
	c = us_pcache_new(1024 * 1024);
	assert_null(us_pcache_get(c, "page/a/en/en"));
	it = us_pcache_put(c, "page/a/en/en", 7, page, strlen(page));
	assert_non_null(it);
	page[0] = 'X';
	it = us_pcache_get(c, "page/a/en/en");
	assert_non_null(it);
	assert_int_equal(it->rev, 7);
	assert_int_equal(it->len, 13);
	assert_string_equal(it->data, "<p>signed</p>");
	assert_null(us_pcache_get(c, "page/a/ru/en"));
	us_pcache_free(c);
}

static void
test_pcache_put_replaces_the_older_revision(void **state)
{
	struct us_pcache	*c;

	(void)state;
	c = us_pcache_new(1024 * 1024);
	(void)us_pcache_put(c, "k", 1, "old", 3);
	(void)us_pcache_put(c, "k", 2, "newer", 5);
	assert_int_equal(us_pcache_count(c), 1);
	assert_string_equal(us_pcache_get(c, "k")->data, "newer");
	assert_int_equal(us_pcache_get(c, "k")->rev, 2);
	us_pcache_free(c);
}

static void
test_pcache_put_may_copy_from_the_item_it_replaces(void **state)
{
	struct us_pcache	*c;
	struct us_pcache_item	*it;

	(void)state;
	c = us_pcache_new(1024 * 1024);
	it = us_pcache_put(c, "scope/st/a", 1, "en,ru", 5);
	it = us_pcache_put(c, "scope/st/a", 2, it->data, it->len);
	assert_non_null(it);
	assert_string_equal(it->data, "en,ru");
	assert_int_equal(us_pcache_count(c), 1);
	us_pcache_free(c);
}

static void
test_pcache_stays_within_its_budget_oldest_out_first(void **state)
{
	struct us_pcache	*c;
	char			 key[32], *page;
	size_t			 max = 256 * 1024, i;

	(void)state;
	page = calloc(1, 10000);
	memset(page, 'x', 9999);
	c = us_pcache_new(max);
	for (i = 0; i < 100; i++) {
		(void)snprintf(key, sizeof(key), "page/%zu", i);
		assert_non_null(us_pcache_put(c, key, 1, page, 9999));
		/* Read the first one each time: it stays the newest. */
		assert_non_null(us_pcache_get(c, "page/0"));
		assert_true(us_pcache_bytes(c) <= max);
	}
	assert_non_null(us_pcache_get(c, "page/0"));
	assert_non_null(us_pcache_get(c, "page/99"));
	assert_null(us_pcache_get(c, "page/1"));
	assert_true(us_pcache_count(c) < 100);
	us_pcache_free(c);
	free(page);
}

static void
test_pcache_refuses_a_page_bigger_than_its_share(void **state)
{
	struct us_pcache	*c;
	char			*page;
	size_t			 max = 80 * 1024;

	(void)state;
	page = calloc(1, max);
	c = us_pcache_new(max);
	(void)us_pcache_put(c, "small", 1, "s", 1);
	assert_null(us_pcache_put(c, "huge", 1, page, max / 4));
	assert_non_null(us_pcache_get(c, "small"));
	assert_null(us_pcache_get(c, "huge"));
	us_pcache_free(c);
	free(page);
}

static void
test_pcache_a_held_item_outlives_its_eviction(void **state)
{
	struct us_pcache	*c;
	struct us_pcache_item	*it;

	(void)state;
	c = us_pcache_new(1024 * 1024);
	it = us_pcache_put(c, "k", 3, "held bytes", 10);
	us_pcache_ref(it);
	us_pcache_drop(c, "k");
	assert_null(us_pcache_get(c, "k"));
	assert_int_equal(us_pcache_count(c), 0);
	assert_int_equal(us_pcache_bytes(c), 0);
	/* Still readable by its holder (ASan would see a use after free). */
	assert_string_equal(it->data, "held bytes");
	us_pcache_unref(c, it);
	it = us_pcache_put(c, "k", 4, "again", 5);
	us_pcache_ref(it);
	us_pcache_free(c);
	assert_string_equal(it->data, "again");
	us_pcache_unref(NULL, it);
}

static void
test_pcache_a_scope_is_fresh_within_its_window(void **state)
{
	struct us_pcache_item	scope;

	(void)state;
	memset(&scope, 0, sizeof(scope));
	scope.rev = -1;
	scope.checked_ms = 10000;
	assert_false(us_pcache_fresh(&scope, 10000, 1000));
	scope.rev = 12;
	assert_true(us_pcache_fresh(&scope, 10000, 1000));
	assert_true(us_pcache_fresh(&scope, 10999, 1000));
	assert_false(us_pcache_fresh(&scope, 11000, 1000));
	/* The clock went back: ask again. */
	assert_false(us_pcache_fresh(&scope, 9000, 1000));
	/* Window 0: every request asks. */
	assert_false(us_pcache_fresh(&scope, 10000, 0));
	assert_false(us_pcache_fresh(NULL, 10000, 1000));
}

static void
test_pcache_a_page_is_served_only_at_its_scopes_revision(void **state)
{
	struct us_pcache_item	scope, page;

	(void)state;
	memset(&scope, 0, sizeof(scope));
	memset(&page, 0, sizeof(page));
	scope.rev = 40;
	page.rev = 40;
	page.stored_ms = 5000;
	assert_true(us_pcache_page_ok(&page, &scope, 5000));
	assert_true(us_pcache_page_ok(&page, &scope,
	    5000 + US_PCACHE_MAX_AGE_MS - 1));
	assert_false(us_pcache_page_ok(&page, &scope,
	    5000 + US_PCACHE_MAX_AGE_MS));
	scope.rev = 44;
	assert_false(us_pcache_page_ok(&page, &scope, 5000));
	assert_false(us_pcache_page_ok(NULL, &scope, 5000));
}

static void
test_pcache_etag_names_revision_variant_and_assets(void **state)
{
	char	a[80], b[80];

	(void)state;
	us_pcache_etag(a, sizeof(a), 41, "en.ru", "0123abcd");
	assert_string_equal(a, "\"41-en.ru-0123abcd\"");
	us_pcache_etag(b, sizeof(b), 41, "ru.ru", "0123abcd");
	assert_string_not_equal(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcache_stores_a_copy_and_finds_it),
		cmocka_unit_test(test_pcache_put_replaces_the_older_revision),
		cmocka_unit_test(
		    test_pcache_put_may_copy_from_the_item_it_replaces),
		cmocka_unit_test(
		    test_pcache_stays_within_its_budget_oldest_out_first),
		cmocka_unit_test(
		    test_pcache_refuses_a_page_bigger_than_its_share),
		cmocka_unit_test(test_pcache_a_held_item_outlives_its_eviction),
		cmocka_unit_test(test_pcache_a_scope_is_fresh_within_its_window),
		cmocka_unit_test(
		    test_pcache_a_page_is_served_only_at_its_scopes_revision),
		cmocka_unit_test(
		    test_pcache_etag_names_revision_variant_and_assets),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
