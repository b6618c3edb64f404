#ifndef EVIDENCE_CSODIUM_SHIM_H
#define EVIDENCE_CSODIUM_SHIM_H
#include <sodium.h>
#endif
