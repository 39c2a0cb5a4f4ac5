#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "share.h"
#include "text.h"

/*
 * Each network's own "share this address" page.  {u} becomes the
 * statement's address and {t} its title, both percent-encoded; mail gets
 * the address in the body, where every mail program shows it.
 */
static const struct {
	const char	*name;
	const char	*label;
	const char	*pattern;
} networks[] = {
	{ "email", US_N_("Email"), "mailto:?subject={t}&body={t}%0A%0A{u}" },
	{ "telegram", "Telegram", "https://t.me/share/url?url={u}&text={t}" },
	{ "whatsapp", "WhatsApp", "https://wa.me/?text={t}%20{u}" },
	{ "x", "X", "https://x.com/intent/post?url={u}&text={t}" },
	{ "facebook", "Facebook",
	    "https://www.facebook.com/sharer/sharer.php?u={u}" },
	{ "linkedin", "LinkedIn",
	    "https://www.linkedin.com/sharing/share-offsite/?url={u}" },
};

/* Bytes of the white space at s, line ends included, or 0. */
static size_t
share_space(const char *s)
{
	if (*s == '\n' || *s == '\r')
		return (1);
	return (us_text_space_len(s));
}

/*
 * The first max characters of s on one line, cut after the last whole
 * word that fits and marked with an ellipsis; all of s when it fits.  A
 * first word longer than max is cut inside (a URL, a long compound),
 * never at a byte that splits a character.
 */
void
us_share_cut(struct us_buf *b, const char *s, size_t max)
{
	const char	*p, *end, *space = NULL;
	size_t		 n;
	int		 cut;

	cut = us_utf8_chars(s) > max;
	/* Room for the ellipsis. */
	n = cut ? us_utf8_prefix(s, max > 1 ? max - 1 : 0) : strlen(s);
	for (p = s; p < s + n; p++) {
		if (share_space(p) > 0 && p > s)
			space = p;
	}
	/* A space just after the cut still ends a whole word. */
	if (!cut || share_space(s + n) > 0)
		space = s + n;
	end = space != NULL ? space : s + n;
	/* No dangling punctuation before the ellipsis. */
	while (cut && end > s && strchr(",;:-", end[-1]) != NULL)
		end--;
	for (p = s; p < end; ) {
		if ((n = share_space(p)) > 0) {
			if (b->len > 0 && b->data[b->len - 1] != ' ')
				us_buf_putc(b, ' ');
			p += n;
		} else
			us_buf_putc(b, *p++);
	}
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	if (cut)
		us_buf_puts(b, "\xe2\x80\xa6");
}

/*
 * [{name, label, href}] for the statement at url with title, labels in
 * lang.  Links only: nothing is loaded from the networks until a reader
 * chooses one.
 */
json_t *
us_share_links(const char *url, const char *title, const char *lang)
{
	struct us_buf	 b;
	const char	*p;
	json_t		*list;
	size_t		 i;

	list = json_array();
	us_buf_init(&b);
	for (i = 0; i < sizeof(networks) / sizeof(networks[0]); i++) {
		us_buf_reset(&b);
		for (p = networks[i].pattern; *p != '\0'; p++) {
			if (strncmp(p, "{u}", 3) == 0) {
				us_esc_url(&b, url);
				p += 2;
			} else if (strncmp(p, "{t}", 3) == 0) {
				us_esc_url(&b, title);
				p += 2;
			} else
				us_buf_putc(&b, *p);
		}
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}",
		    "name", networks[i].name, "label", us_i18n(lang,
		    networks[i].label), "href", b.data));
	}
	us_buf_free(&b);
	return (list);
}
