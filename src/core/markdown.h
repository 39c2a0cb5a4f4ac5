/*
 * us_md: statement bodies are Markdown, rendered with libcmark in its
 * safe mode: raw HTML is dropped and javascript:, vbscript:, file: and
 * non-image data: links are emptied.
 */
#ifndef US_MARKDOWN_H
#define US_MARKDOWN_H

/*
 * The longest statement text, in characters (about 8,000 words).
 * libcmark 0.30.2 is quadratic on some inputs ("![[]()" repeated): at
 * this size its worst case costs about 70 ms of CPU, so no text can hold
 * a thread for long.  The pathological constructs are all ASCII, so a
 * cap in characters bounds them as well as one in bytes would.
 */
#define US_MD_MAX	50000

int	 us_md_too_long(const char *);

char	*us_md_html(const char *);
char	*us_md_first_paragraph(const char *);

#endif
