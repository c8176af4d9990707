// Catch2's main for the analysis and transform tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
