#ifndef EVIDENCE_CLIBFUZZER_H
#define EVIDENCE_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver, in the runtime that `-sanitize=fuzzer` links (compiler-rt's FuzzerInterface.h): runs the
// fuzzing loop over `callback` with libFuzzer's own command line, and returns the process's exit status.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
