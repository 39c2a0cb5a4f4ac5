/*
 * us_md: statement bodies are Markdown, rendered with libcmark in its
 * safe mode: raw HTML is dropped and javascript:, vbscript:, file: and
 * non-image data: links are emptied.
 */
#ifndef US_MARKDOWN_H
#define US_MARKDOWN_H

char	*us_md_html(const char *);
char	*us_md_first_paragraph(const char *);

#endif
