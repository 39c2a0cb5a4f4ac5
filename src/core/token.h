/*
 * us_token: bearer secrets (email links, API tokens).  32 random bytes
 * from OpenSSL, sent base64url without padding, stored only as SHA-256,
 * compared in constant time.
 */
#ifndef US_TOKEN_H
#define US_TOKEN_H

#include <stddef.h>

#include "error.h"

#define US_TOKEN_BYTES		32
#define US_TOKEN_LEN		43	/* base64url of 32 bytes, unpadded */
#define US_HASH_LEN		32
#define US_HASH_HEX		(US_HASH_LEN * 2)	/* as SQL decode(..., 'hex') reads it */

int	us_token_new(char [US_TOKEN_LEN + 1], unsigned char [US_HASH_LEN]);
int	us_token_hash(const char *, unsigned char [US_HASH_LEN]);
int	us_token_hash_hex(const char *, char [US_HASH_HEX + 1]);
int	us_token_equal(const unsigned char *, const unsigned char *);
int	us_token_same(const char *, const char *);
void	us_sha256(const void *, size_t, unsigned char [US_HASH_LEN]);
void	us_hex(const unsigned char *, size_t, char *);
int	us_unhex(const char *, unsigned char *, size_t);
void	us_b64url(const unsigned char *, size_t, char *);
int	us_random(void *, size_t);

/*
 * Emailed links (confirmation, withdrawal, sign-in) are looked up the
 * same way: the row found by the presented token's digest is believed
 * only once its stored digest matches in constant time, and then it is
 * valid, used or expired.  Each kind of link says so in its own words.
 */
enum us_token_state {
	US_TOKEN_UNKNOWN = 0,
	US_TOKEN_VALID,
	US_TOKEN_USED,
	US_TOKEN_EXPIRED
};

struct us_token_msgs {
	const char	*unknown;	/* 404 token_unknown */
	const char	*used;		/* 409 token_used */
	const char	*expired;	/* 409 token_expired */
};

enum us_token_state	us_token_state(const char *, const char *, int, int);
const char		*us_token_state_name(enum us_token_state);
int			 us_token_refuse(enum us_token_state,
			    const struct us_token_msgs *, struct us_error *);

#endif
