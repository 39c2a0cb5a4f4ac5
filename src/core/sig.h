/*
 * us_sig: Ed25519 keys and signatures through OpenSSL 3 (EVP_PKEY_ED25519,
 * EVP_DigestSign with no digest: Ed25519 hashes the message itself), and
 * the standard base64 (RFC 4648, padded) that keys and signatures are
 * published in.  A key is its raw 32-byte seed (private) and 32-byte
 * point (public); its id is the first 8 bytes of SHA-256 of the public
 * key, in hex, so anyone can work it out from the key.
 */
#ifndef US_SIG_H
#define US_SIG_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

#define US_SIG_KEY_LEN		32
#define US_SIG_LEN		64
#define US_SIG_ID_LEN		16	/* hex characters */
#define US_SIG_ALGORITHM	"ed25519"

int	us_sig_keygen(unsigned char [US_SIG_KEY_LEN],
	    unsigned char [US_SIG_KEY_LEN], struct us_error *);
int	us_sig_public(const unsigned char [US_SIG_KEY_LEN],
	    unsigned char [US_SIG_KEY_LEN], struct us_error *);
int	us_sig_sign(const unsigned char [US_SIG_KEY_LEN], const void *, size_t,
	    unsigned char [US_SIG_LEN], struct us_error *);
int	us_sig_verify(const unsigned char [US_SIG_KEY_LEN], const void *,
	    size_t, const unsigned char [US_SIG_LEN]);
void	us_sig_key_id(const unsigned char [US_SIG_KEY_LEN],
	    char [US_SIG_ID_LEN + 1]);
void	us_b64_encode(struct us_buf *, const unsigned char *, size_t);
int	us_b64_decode(const char *, unsigned char *, size_t, size_t *);

#endif
