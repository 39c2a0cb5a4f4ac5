/*
 * us_tpl: the Mustache subset pages and emails are written in.
 */
#include "helpers.h"

#include "core/tpl.h"

struct tpl_case {
	struct us_tpls	set;
	struct us_buf	out;
	struct us_error	err;
};

static int	tpl_setup(void **);
static int	tpl_teardown(void **);
static void	add(struct tpl_case *, const char *, const char *);
static int	render(struct tpl_case *, const char *, const char *, int);
static void	expect(struct tpl_case *, const char *, const char *, int,
		    const char *);
static void	expect_error(struct tpl_case *, const char *, const char *);

static int
tpl_setup(void **state)
{
	struct tpl_case	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (-1);
	us_buf_init(&c->out);
	*state = c;
	return (0);
}

static int
tpl_teardown(void **state)
{
	struct tpl_case	*c = *state;

	us_tpl_free(&c->set);
	us_buf_free(&c->out);
	free(c);
	return (0);
}

static void
add(struct tpl_case *c, const char *name, const char *src)
{
	us_tpl_add(&c->set, name, src, strlen(src));
}

/* Renders template "t" (src) against json, into c->out from empty. */
static int
render(struct tpl_case *c, const char *src, const char *json, int mode)
{
	json_t	*ctx;
	int	 rc;

	add(c, "t", src);
	ctx = test_json(json);
	us_buf_reset(&c->out);
	us_error_clear(&c->err);
	rc = us_tpl_render(&c->set, "t", ctx, mode, &c->out, &c->err);
	json_decref(ctx);
	return (rc);
}

static void
expect(struct tpl_case *c, const char *src, const char *json, int mode,
    const char *want)
{
	if (render(c, src, json, mode) != US_OK)
		fail_msg("render failed: %s", c->err.message);
	assert_string_equal(c->out.data != NULL ? c->out.data : "", want);
	us_tpl_free(&c->set);
}

static void
expect_error(struct tpl_case *c, const char *src, const char *msg)
{
	assert_int_equal(render(c, src, "{\"s\": true, \"x\": 1}",
	    US_TPL_HTML), US_FAIL);
	assert_int_equal(c->err.kind, US_E_INTERNAL);
	assert_string_equal(c->err.code, "template");
	assert_string_equal(c->err.message, msg);
	us_tpl_free(&c->set);
}

static void
test_tpl_html_mode_escapes_values(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "<p title=\"{{v}}\">{{v}}</p>",
	    "{\"v\": \"<a href=\\\"q\\\">&'\"}", US_TPL_HTML,
	    "<p title=\"&lt;a href=&quot;q&quot;&gt;&amp;&#39;\">"
	    "&lt;a href=&quot;q&quot;&gt;&amp;&#39;</p>");
}

static void
test_tpl_text_mode_does_not_escape(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "Hello {{v}}!", "{\"v\": \"<Ann & \\\"Bob\\\">\"}",
	    US_TPL_TEXT, "Hello <Ann & \"Bob\">!");
}

static void
test_tpl_triple_mustache_is_raw(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "<div>{{{html}}}</div>{{html}}",
	    "{\"html\": \"<p>x&amp;y</p>\"}", US_TPL_HTML,
	    "<div><p>x&amp;y</p></div>&lt;p&gt;x&amp;amp;y&lt;/p&gt;");
	expect(c, "{{{ html }}}", "{\"html\": \"<b>\"}", US_TPL_HTML, "<b>");
}

static void
test_tpl_renders_numbers_and_true(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "{{i}} {{r}} {{b}} [{{f}}] [{{n}}]",
	    "{\"i\": -42, \"r\": 1.5, \"b\": true, \"f\": false, \"n\": null}",
	    US_TPL_HTML, "-42 1.5 true [] []");
}

static void
test_tpl_allows_spaces_inside_tags(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "{{ name }}|{{#l}}{{ . }}{{/l}}",
	    "{\"name\": \"Ann\", \"l\": [1, 2]}", US_TPL_HTML, "Ann|12");
}

static void
test_tpl_resolves_dotted_names(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "{{a.b.c}}|{{a.b.x}}|{{a.x.c}}|{{q.b}}",
	    "{\"a\": {\"b\": {\"c\": \"deep\"}}}", US_TPL_HTML, "deep|||");
}

static void
test_tpl_dotted_name_resolves_first_part_up_the_stack(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "{{#items}}{{site.name}}:{{n}} {{/items}}",
	    "{\"site\": {\"name\": \"S\"}, \"items\": [{\"n\": 1}, "
	    "{\"n\": 2}]}", US_TPL_HTML, "S:1 S:2 ");
}

static void
test_tpl_section_repeats_over_array(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "<ul>{{#people}}<li>{{name}}</li>{{/people}}</ul>",
	    "{\"people\": [{\"name\": \"Ann\"}, {\"name\": \"B&B\"}]}",
	    US_TPL_HTML, "<ul><li>Ann</li><li>B&amp;B</li></ul>");
}

static void
test_tpl_section_enters_object(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "{{#org}}{{name}} ({{country}}){{/org}}",
	    "{\"org\": {\"name\": \"NGO\", \"country\": \"KG\"}, "
	    "\"name\": \"outer\"}", US_TPL_HTML, "NGO (KG)");
	/* A name the object lacks is looked up in the outer context. */
	expect(c, "{{#org}}{{title}}{{/org}}",
	    "{\"org\": {\"name\": \"NGO\"}, \"title\": \"T\"}", US_TPL_HTML,
	    "T");
}

static void
test_tpl_section_follows_truthiness(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "{{#t}}T{{/t}}{{#f}}F{{/f}}{{#n}}N{{/n}}{{#e}}E{{/e}}"
	    "{{#z}}Z{{/z}}{{#s}}S{{/s}}{{#o}}O{{/o}}{{#i}}I{{/i}}"
	    "{{#missing}}M{{/missing}}{{#es}}X{{/es}}",
	    "{\"t\": true, \"f\": false, \"n\": null, \"e\": [], \"z\": 0, "
	    "\"s\": \"x\", \"o\": {}, \"i\": 7, \"es\": \"\"}", US_TPL_HTML,
	    "TSOI");
}

static void
test_tpl_inverted_section_renders_when_falsy(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "{{^l}}none{{/l}}|{{^t}}no{{/t}}|{{^missing}}m{{/missing}}",
	    "{\"l\": [], \"t\": true}", US_TPL_HTML, "none||m");
	expect(c, "{{^l}}none{{/l}}", "{\"l\": [0]}", US_TPL_HTML, "");
}

static void
test_tpl_dot_is_current_item(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "{{#l}}<{{.}}>{{/l}}", "{\"l\": [\"a&b\", \"c\", 3]}",
	    US_TPL_HTML, "<a&amp;b><c><3>");
}

static void
test_tpl_nested_sections_of_same_name(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "{{#a}}[{{#a}}x{{/a}}]{{/a}}", "{\"a\": true}", US_TPL_HTML,
	    "[x]");
	expect(c, "{{#l}}({{#l}}{{.}}{{/l}}){{/l}}",
	    "{\"l\": [{\"l\": [1, 2]}, {\"l\": []}]}", US_TPL_HTML, "(12)()");
}

static void
test_tpl_partial_renders_in_current_context(void **state)
{
	struct tpl_case	*c = *state;

	add(c, "item", "<li>{{name}}</li>");
	expect(c, "<ul>{{#l}}{{> item}}{{/l}}</ul>",
	    "{\"l\": [{\"name\": \"a\"}, {\"name\": \"<b>\"}]}", US_TPL_HTML,
	    "<ul><li>a</li><li>&lt;b&gt;</li></ul>");
}

static void
test_tpl_comment_renders_nothing_up_to_first_close(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "a{{! a comment, {{not}} a tag }}b", "{}", US_TPL_HTML,
	    "a a tag }}b");
	expect(c, "a{{!comment}}b", "{}", US_TPL_HTML, "ab");
}

static void
test_tpl_standalone_section_lines_disappear(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "a\n{{#s}}\nb\n{{/s}}\nc\n", "{\"s\": true}", US_TPL_HTML,
	    "a\nb\nc\n");
	expect(c, "a\n  {{#s}}  \nb\n\t{{/s}}\nc\n", "{\"s\": false}",
	    US_TPL_HTML, "a\nc\n");
	expect(c, "{{#l}}\n- {{.}}\n{{/l}}\n", "{\"l\": [1, 2]}", US_TPL_TEXT,
	    "- 1\n- 2\n");
}

static void
test_tpl_standalone_comment_and_partial_lines_disappear(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "a\n  {{! note }}  \nb\n", "{}", US_TPL_HTML, "a\nb\n");
	add(c, "p", "P\n");
	expect(c, "a\n{{> p}}\nb", "{}", US_TPL_HTML, "a\nP\nb");
}

static void
test_tpl_standalone_removal_handles_crlf(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "a\r\n{{#s}}\r\nb\r\n{{/s}}\r\nc", "{\"s\": true}",
	    US_TPL_HTML, "a\r\nb\r\nc");
}

static void
test_tpl_inline_tags_keep_their_line(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "a {{#s}}b{{/s}} c\n", "{\"s\": true}", US_TPL_HTML,
	    "a b c\n");
	expect(c, "x {{! c }}\ny", "{}", US_TPL_HTML, "x \ny");
	expect(c, "{{v}}\n", "{\"v\": \"\"}", US_TPL_HTML, "\n");
}

static void
test_tpl_missing_names_render_empty(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "[{{nope}}][{{{nope}}}][{{a.b}}][{{o}}][{{l}}]",
	    "{\"o\": {\"k\": 1}, \"l\": [1]}", US_TPL_HTML, "[][][][][]");
}

static void
test_tpl_unclosed_tag_is_an_error(void **state)
{
	struct tpl_case	*c = *state;

	expect_error(c, "Hello {{name", "t: unclosed tag");
	expect_error(c, "Hello {{{name}}", "t: unclosed tag");
}

static void
test_tpl_unclosed_section_is_an_error(void **state)
{
	struct tpl_case	*c = *state;

	expect_error(c, "{{#s}}abc", "t: {{#s}} is not closed");
	expect_error(c, "{{^s}}abc{{/t}}", "t: {{^s}} is not closed");
	expect_error(c, "{{#s}}{{#s}}x{{/s}}", "t: {{#s}} is not closed");
}

static void
test_tpl_stray_close_and_empty_tag_are_errors(void **state)
{
	struct tpl_case	*c = *state;

	expect_error(c, "abc{{/s}}", "t: stray {{/s}}");
	expect_error(c, "a{{}}b", "t: bad tag");
	expect_error(c, "a{{#}}b", "t: bad tag");
}

static void
test_tpl_unknown_partial_is_an_error(void **state)
{
	struct tpl_case	*c = *state;

	expect_error(c, "a{{> nowhere}}b", "t: no partial nowhere");
}

static void
test_tpl_recursive_partial_is_an_error(void **state)
{
	struct tpl_case	*c = *state;

	add(c, "loop", "x{{> loop}}");
	expect_error(c, "{{> loop}}", "loop: no partial loop");
}

static void
test_tpl_unknown_template_is_an_error(void **state)
{
	struct tpl_case	*c = *state;
	json_t		*ctx;

	ctx = json_object();
	us_error_clear(&c->err);
	assert_int_equal(us_tpl_render(&c->set, "absent", ctx, US_TPL_HTML,
	    &c->out, &c->err), US_FAIL);
	assert_string_equal(c->err.message, "no template named absent");
	json_decref(ctx);
}

#define TPL_TEST(f)	cmocka_unit_test_setup_teardown(f, tpl_setup, \
			    tpl_teardown)

static void
test_tpl_closing_tags_may_have_blanks(void **state)
{
	struct tpl_case	*c = *state;

	expect(c, "{{# s }}x{{/ s }}", "{\"s\": true}", US_TPL_HTML, "x");
	expect(c, "{{#s}}x{{/ s}}", "{\"s\": true}", US_TPL_HTML, "x");
	expect(c, "{{^ s }}x{{/s }}", "{\"s\": false}", US_TPL_HTML, "x");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		TPL_TEST(test_tpl_closing_tags_may_have_blanks),
		TPL_TEST(test_tpl_html_mode_escapes_values),
		TPL_TEST(test_tpl_text_mode_does_not_escape),
		TPL_TEST(test_tpl_triple_mustache_is_raw),
		TPL_TEST(test_tpl_renders_numbers_and_true),
		TPL_TEST(test_tpl_allows_spaces_inside_tags),
		TPL_TEST(test_tpl_resolves_dotted_names),
		TPL_TEST(test_tpl_dotted_name_resolves_first_part_up_the_stack),
		TPL_TEST(test_tpl_section_repeats_over_array),
		TPL_TEST(test_tpl_section_enters_object),
		TPL_TEST(test_tpl_section_follows_truthiness),
		TPL_TEST(test_tpl_inverted_section_renders_when_falsy),
		TPL_TEST(test_tpl_dot_is_current_item),
		TPL_TEST(test_tpl_nested_sections_of_same_name),
		TPL_TEST(test_tpl_partial_renders_in_current_context),
		TPL_TEST(test_tpl_comment_renders_nothing_up_to_first_close),
		TPL_TEST(test_tpl_standalone_section_lines_disappear),
		TPL_TEST(
		    test_tpl_standalone_comment_and_partial_lines_disappear),
		TPL_TEST(test_tpl_standalone_removal_handles_crlf),
		TPL_TEST(test_tpl_inline_tags_keep_their_line),
		TPL_TEST(test_tpl_missing_names_render_empty),
		TPL_TEST(test_tpl_unclosed_tag_is_an_error),
		TPL_TEST(test_tpl_unclosed_section_is_an_error),
		TPL_TEST(test_tpl_stray_close_and_empty_tag_are_errors),
		TPL_TEST(test_tpl_unknown_partial_is_an_error),
		TPL_TEST(test_tpl_recursive_partial_is_an_error),
		TPL_TEST(test_tpl_unknown_template_is_an_error),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
