/* Device tensors for the kernel tests: host floats up and down, asserting success. */
#pragma once

#include "ns-gatys.h"
#include "ns-ops-backward.h"
#include "ns-tensor.h"

/* The default device's context, its operations and (grad not NULL) their
 * backward operations, asserting success and naming the device. */
void ns_test_device_open (NsClContext **ctx, NsOps **ops, NsGradOps **grad);
/* Frees what ns_test_device_open() made (grad may be NULL). */
void ns_test_device_close (NsClContext *ctx, NsOps *ops, NsGradOps *grad);

NsTensor *ns_test_upload (NsClContext *ctx, int channels, int height, int width, const float *host);
/* A newly allocated copy of the tensor's values. */
float *ns_test_download (const NsTensor *tensor);
/* A device buffer holding n host floats, and n floats of a buffer newly allocated. */
NsClBuffer *ns_test_upload_buffer (NsClContext *ctx, const float *host, gsize n);
float *ns_test_download_buffer (const NsClBuffer *buffer, gsize n);

/* A scalar function of a tensor's values, for ns_test_central_difference(). */
typedef double (*NsTestLoss) (const NsTensor *tensor, gpointer data);
/* (loss(x + h e_i) - loss(x - h e_i)) / 2h, x being `host` written to `tensor`
 * for each side; both are left holding x again. */
double ns_test_central_difference (NsTensor *tensor, float *host, gsize i, float h, NsTestLoss loss, gpointer data);

/* A Gatys style's targets, asserting success. */
NsGatysStyle *ns_test_gatys_style_new (NsGatys *gatys, const NsImage *image);
