#include <cstdio>

int main() { std::puts("hlhsim " HLHSIM_VERSION); }
