// Capstone's C API, plus small inline accessors for the parts Swift cannot reach directly:
// the per-architecture `detail` union, the operand arrays (imported as tuples) and the
// anonymous unions inside each operand. Accessors take the instruction and an operand index
// (out-of-range indexes read operand 0's slot, never past the array) and return values, so
// Swift sees no optionals. Callers must have enabled CS_OPT_DETAIL and checked
// xcdb_insn_has_detail().
#ifndef XCDB_CCAPSTONE_SHIM_H
#define XCDB_CCAPSTONE_SHIM_H
#include <capstone/capstone.h>

static inline const char *xcdb_insn_mnemonic(const cs_insn *insn) { return insn->mnemonic; }
static inline const char *xcdb_insn_op_str(const cs_insn *insn) { return insn->op_str; }
static inline int xcdb_insn_has_detail(const cs_insn *insn) { return insn->detail != NULL; }

// x86
static inline cs_x86 xcdb_x86(const cs_insn *insn) { return insn->detail->x86; }
static inline const cs_x86_op *xcdb_x86_op_ptr(const cs_insn *insn, uint8_t i) {
    return &insn->detail->x86.operands[i < 8 ? i : 0];
}
static inline x86_op_type xcdb_x86_op_type(const cs_insn *insn, uint8_t i) {
    return xcdb_x86_op_ptr(insn, i)->type;
}
static inline uint8_t xcdb_x86_op_size(const cs_insn *insn, uint8_t i) {
    return xcdb_x86_op_ptr(insn, i)->size;
}
static inline x86_reg xcdb_x86_op_reg(const cs_insn *insn, uint8_t i) {
    return xcdb_x86_op_ptr(insn, i)->reg;
}
static inline int64_t xcdb_x86_op_imm(const cs_insn *insn, uint8_t i) {
    return xcdb_x86_op_ptr(insn, i)->imm;
}
static inline x86_op_mem xcdb_x86_op_mem(const cs_insn *insn, uint8_t i) {
    return xcdb_x86_op_ptr(insn, i)->mem;
}
/// CS_AC_READ (1) and CS_AC_WRITE (2) bits.
static inline uint8_t xcdb_x86_op_access(const cs_insn *insn, uint8_t i) {
    return xcdb_x86_op_ptr(insn, i)->access;
}
static inline uint8_t xcdb_x86_opcode(const cs_insn *insn, uint8_t i) {
    return i < 4 ? insn->detail->x86.opcode[i] : 0;
}

// ARM64
static inline cs_arm64 xcdb_arm64(const cs_insn *insn) { return insn->detail->arm64; }
static inline const cs_arm64_op *xcdb_arm64_op_ptr(const cs_insn *insn, uint8_t i) {
    return &insn->detail->arm64.operands[i < 8 ? i : 0];
}
static inline arm64_op_type xcdb_arm64_op_type(const cs_insn *insn, uint8_t i) {
    return xcdb_arm64_op_ptr(insn, i)->type;
}
static inline int64_t xcdb_arm64_op_imm(const cs_insn *insn, uint8_t i) {
    return xcdb_arm64_op_ptr(insn, i)->imm;
}
static inline arm64_op_mem xcdb_arm64_op_mem(const cs_insn *insn, uint8_t i) {
    return xcdb_arm64_op_ptr(insn, i)->mem;
}

// ARM (A32 and Thumb)
static inline cs_arm xcdb_arm(const cs_insn *insn) { return insn->detail->arm; }
static inline const cs_arm_op *xcdb_arm_op_ptr(const cs_insn *insn, uint8_t i) {
    return &insn->detail->arm.operands[i < 36 ? i : 0];
}
static inline arm_op_type xcdb_arm_op_type(const cs_insn *insn, uint8_t i) {
    return xcdb_arm_op_ptr(insn, i)->type;
}
static inline unsigned int xcdb_arm_op_reg(const cs_insn *insn, uint8_t i) {
    return (unsigned int)xcdb_arm_op_ptr(insn, i)->reg;
}
static inline int32_t xcdb_arm_op_imm(const cs_insn *insn, uint8_t i) {
    return xcdb_arm_op_ptr(insn, i)->imm;
}
static inline arm_op_mem xcdb_arm_op_mem(const cs_insn *insn, uint8_t i) {
    return xcdb_arm_op_ptr(insn, i)->mem;
}

#endif
