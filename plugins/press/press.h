/*
 * A press release in the form newsrooms expect: release line, headline,
 * dateline and lede, the statement, who signed, notes to editors, media
 * contacts, about, end mark.  One walk through those sections, with a
 * struct press_fmt saying how each piece is marked up, gives both the
 * plain text (what journalists read first, in the mail body) and HTML.
 */
#ifndef PRESS_H
#define PRESS_H

#include <cmark.h>

#include "undersigned-plugin.h"
#include "out.h"
#include "prose.h"

/* An opening and a closing string around a piece of the release. */
struct press_tag {
	const char	*open;
	const char	*close;
};

struct press_fmt {
	const char	*who;
	us_prose_esc	 esc;
	void		(*begin)(struct us_out *,
			    const struct us_p_statement *);
	void		(*markdown)(struct us_out *, cmark_node *);
	void		(*link)(struct us_out *, const char *, const char *);
	const char	*br;		/* a line break within a paragraph */
	const char	*end;		/* closes the document */
	int		 numbered;	/* write "N. " before list items */
	struct press_tag release, h1, h2, p, dateline, list, item, name,
			 endmark;
};

int	press_render(const struct us_p_statement *, struct us_p_sink *,
	    const struct press_fmt *);
int	press_html_render(const struct us_p_statement *, struct us_p_sink *);

#endif
