#ifndef EVIDENCE_COPENSSLHASH_SHIM_H
#define EVIDENCE_COPENSSLHASH_SHIM_H
/* Only OpenSSL's SHA-256 is used: it runs on the CPU's SHA extensions, libsodium's is portable C. */
#include <openssl/evp.h>
#endif
