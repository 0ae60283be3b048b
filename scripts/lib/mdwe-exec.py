#!/usr/bin/env python3
"""mdwe-exec.py PROGRAM [ARGS...]: runs PROGRAM under the seccomp filter systemd installs for
MemoryDenyWriteExecute=yes (x86-64), after setting no_new_privs, the way systemd does before exec.

The filter (systemd's seccomp_memory_deny_write_execute): mmap with PROT_WRITE and PROT_EXEC
both set, mprotect and pkey_mprotect adding PROT_EXEC, and shmat with SHM_EXEC fail with EPERM.
Anything that needs writable executable memory (a JIT, some crypto self-tests) fails under it;
leadrouterd, libcurl and OpenSSL must not. Used by the hardened-run test.
"""
import ctypes
import os
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
AUDIT_ARCH_X86_64 = 0xC000003E
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
EPERM = 1
PROT_WRITE, PROT_EXEC = 0x2, 0x4
SHM_EXEC = 0o100000
NR_MMAP, NR_MPROTECT, NR_SHMAT, NR_PKEY_MPROTECT = 9, 10, 30, 329

# BPF: struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }
LD_W_ABS, JEQ_K, JSET_K, RET_K, AND_K = 0x20, 0x15, 0x45, 0x06, 0x54
ARCH, NR, ARG2_LOW = 4, 0, 16 + 8 * 2   # seccomp_data: nr, arch, ip, args[6]


def insn(code, k, jt=0, jf=0):
    return struct.pack("HBBI", code, jt, jf, k)


deny = insn(RET_K, SECCOMP_RET_ERRNO | EPERM)
allow = insn(RET_K, SECCOMP_RET_ALLOW)
program = [
    insn(LD_W_ABS, ARCH),
    insn(JEQ_K, AUDIT_ARCH_X86_64, 1, 0),
    allow,                                           # another ABI: not ours to judge
    insn(LD_W_ABS, NR),
    insn(JEQ_K, NR_MMAP, 0, 5),
    # mmap: deny when (prot & (W|X)) == W|X
    insn(LD_W_ABS, ARG2_LOW),
    insn(AND_K, PROT_WRITE | PROT_EXEC),
    insn(JEQ_K, PROT_WRITE | PROT_EXEC, 0, 1),
    deny,
    allow,
    insn(JEQ_K, NR_MPROTECT, 1, 0),
    insn(JEQ_K, NR_PKEY_MPROTECT, 0, 4),
    # mprotect / pkey_mprotect: deny when prot & X
    insn(LD_W_ABS, ARG2_LOW),
    insn(JSET_K, PROT_EXEC, 0, 1),
    deny,
    allow,
    insn(JEQ_K, NR_SHMAT, 0, 3),
    # shmat: deny when shmflg & SHM_EXEC
    insn(LD_W_ABS, ARG2_LOW),
    insn(JSET_K, SHM_EXEC, 0, 1),
    deny,
    allow,
]
code = b"".join(program)


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


libc = ctypes.CDLL(None, use_errno=True)
libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
    sys.exit("prctl(PR_SET_NO_NEW_PRIVS): %s" % os.strerror(ctypes.get_errno()))
fprog = SockFprog(len(program), code)
if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0) != 0:
    sys.exit("prctl(PR_SET_SECCOMP): %s" % os.strerror(ctypes.get_errno()))
os.execv(sys.argv[1], sys.argv[1:])
