#include "ns-cl-error.h"

#include "ns-i18n.h"
#include <clblast_c.h>

G_DEFINE_QUARK (ns-cl-error-quark, ns_cl_error)

const char *
ns_cl_error_name (cl_int code)
{
  switch (code)
    {
#define NAME(c) case c: return #c;
      NAME (CL_SUCCESS)
      NAME (CL_DEVICE_NOT_FOUND)
      NAME (CL_DEVICE_NOT_AVAILABLE)
      NAME (CL_COMPILER_NOT_AVAILABLE)
      NAME (CL_MEM_OBJECT_ALLOCATION_FAILURE)
      NAME (CL_OUT_OF_RESOURCES)
      NAME (CL_OUT_OF_HOST_MEMORY)
      NAME (CL_PROFILING_INFO_NOT_AVAILABLE)
      NAME (CL_MEM_COPY_OVERLAP)
      NAME (CL_IMAGE_FORMAT_MISMATCH)
      NAME (CL_IMAGE_FORMAT_NOT_SUPPORTED)
      NAME (CL_BUILD_PROGRAM_FAILURE)
      NAME (CL_MAP_FAILURE)
      NAME (CL_MISALIGNED_SUB_BUFFER_OFFSET)
      NAME (CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
      NAME (CL_COMPILE_PROGRAM_FAILURE)
      NAME (CL_LINKER_NOT_AVAILABLE)
      NAME (CL_LINK_PROGRAM_FAILURE)
      NAME (CL_DEVICE_PARTITION_FAILED)
      NAME (CL_KERNEL_ARG_INFO_NOT_AVAILABLE)
      NAME (CL_INVALID_VALUE)
      NAME (CL_INVALID_DEVICE_TYPE)
      NAME (CL_INVALID_PLATFORM)
      NAME (CL_INVALID_DEVICE)
      NAME (CL_INVALID_CONTEXT)
      NAME (CL_INVALID_QUEUE_PROPERTIES)
      NAME (CL_INVALID_COMMAND_QUEUE)
      NAME (CL_INVALID_HOST_PTR)
      NAME (CL_INVALID_MEM_OBJECT)
      NAME (CL_INVALID_IMAGE_FORMAT_DESCRIPTOR)
      NAME (CL_INVALID_IMAGE_SIZE)
      NAME (CL_INVALID_SAMPLER)
      NAME (CL_INVALID_BINARY)
      NAME (CL_INVALID_BUILD_OPTIONS)
      NAME (CL_INVALID_PROGRAM)
      NAME (CL_INVALID_PROGRAM_EXECUTABLE)
      NAME (CL_INVALID_KERNEL_NAME)
      NAME (CL_INVALID_KERNEL_DEFINITION)
      NAME (CL_INVALID_KERNEL)
      NAME (CL_INVALID_ARG_INDEX)
      NAME (CL_INVALID_ARG_VALUE)
      NAME (CL_INVALID_ARG_SIZE)
      NAME (CL_INVALID_KERNEL_ARGS)
      NAME (CL_INVALID_WORK_DIMENSION)
      NAME (CL_INVALID_WORK_GROUP_SIZE)
      NAME (CL_INVALID_WORK_ITEM_SIZE)
      NAME (CL_INVALID_GLOBAL_OFFSET)
      NAME (CL_INVALID_EVENT_WAIT_LIST)
      NAME (CL_INVALID_EVENT)
      NAME (CL_INVALID_OPERATION)
      NAME (CL_INVALID_GL_OBJECT)
      NAME (CL_INVALID_BUFFER_SIZE)
      NAME (CL_INVALID_MIP_LEVEL)
      NAME (CL_INVALID_GLOBAL_WORK_SIZE)
      NAME (CL_INVALID_PROPERTY)
      NAME (CL_INVALID_IMAGE_DESCRIPTOR)
      NAME (CL_INVALID_COMPILER_OPTIONS)
      NAME (CL_INVALID_LINKER_OPTIONS)
      NAME (CL_INVALID_DEVICE_PARTITION_COUNT)
#undef NAME
    case -1001: return "CL_PLATFORM_NOT_FOUND_KHR";
    default: return "unknown OpenCL error";
    }
}

const char *
ns_clblast_status_name (int status)
{
  switch (status)
    {
#define NAME(c) case c: return #c;
      NAME (CLBlastNotImplemented)
      NAME (CLBlastInvalidMatrixA)
      NAME (CLBlastInvalidMatrixB)
      NAME (CLBlastInvalidMatrixC)
      NAME (CLBlastInvalidVectorX)
      NAME (CLBlastInvalidVectorY)
      NAME (CLBlastInvalidDimension)
      NAME (CLBlastInvalidLeadDimA)
      NAME (CLBlastInvalidLeadDimB)
      NAME (CLBlastInvalidLeadDimC)
      NAME (CLBlastInvalidIncrementX)
      NAME (CLBlastInvalidIncrementY)
      NAME (CLBlastInsufficientMemoryA)
      NAME (CLBlastInsufficientMemoryB)
      NAME (CLBlastInsufficientMemoryC)
      NAME (CLBlastInsufficientMemoryX)
      NAME (CLBlastInsufficientMemoryY)
      NAME (CLBlastInsufficientMemoryTemp)
      NAME (CLBlastInvalidBatchCount)
      NAME (CLBlastInvalidOverrideKernel)
      NAME (CLBlastMissingOverrideParameter)
      NAME (CLBlastInvalidLocalMemUsage)
      NAME (CLBlastNoHalfPrecision)
      NAME (CLBlastNoDoublePrecision)
      NAME (CLBlastInvalidVectorScalar)
      NAME (CLBlastInsufficientMemoryScalar)
      NAME (CLBlastDatabaseError)
      NAME (CLBlastUnknownError)
      NAME (CLBlastUnexpectedError)
#undef NAME
    default: return ns_cl_error_name (status);
    }
}

static gboolean
is_out_of_memory (int code)
{
  return code == CL_MEM_OBJECT_ALLOCATION_FAILURE || code == CL_OUT_OF_RESOURCES
      || code == CL_OUT_OF_HOST_MEMORY || code == CL_INVALID_BUFFER_SIZE
      || code == CLBlastInsufficientMemoryTemp;
}

static gboolean
report (int code, const char *name, const char *operation, GError **error)
{
  if (is_out_of_memory (code))
    g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY,
                 _("The OpenCL device ran out of memory while %s (%s, %d): "
                   "try a smaller image or a device with more memory."),
                 operation, name, code);
  else if (code == CL_BUILD_PROGRAM_FAILURE || code == CL_COMPILER_NOT_AVAILABLE)
    g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_BUILD,
                 _("The OpenCL driver could not compile the kernels while %s (%s, %d)."),
                 operation, name, code);
  else
    g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_FAILED,
                 _("OpenCL failed while %s (%s, %d)."), operation, name, code);
  return FALSE;
}

gboolean
ns_cl_check (cl_int code, const char *operation, GError **error)
{
  if (code == CL_SUCCESS)
    return TRUE;
  return report (code, ns_cl_error_name (code), operation, error);
}

gboolean
ns_clblast_check (int status, const char *operation, GError **error)
{
  if (status == CLBlastSuccess)
    return TRUE;
  return report (status, ns_clblast_status_name (status), operation, error);
}
