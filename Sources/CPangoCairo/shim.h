#ifndef EVIDENCE_CPANGOCAIRO_SHIM_H
#define EVIDENCE_CPANGOCAIRO_SHIM_H
#include <pango/pangocairo.h>
#include <cairo-pdf.h>
#endif
