// Configure-time probe (runtime/CMakeLists.txt): exits 0 when this CPU runs x86-64-v3 code
// (AVX2, FMA, BMI2), so the runtime may be built for it.
int main() {
  __builtin_cpu_init();
  const bool v3 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                  __builtin_cpu_supports("bmi2");
  return v3 ? 0 : 1;
}
