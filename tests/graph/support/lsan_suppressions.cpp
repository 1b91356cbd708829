// LeakSanitizer suppressions for the graph tests (read only in sanitizer builds).
//
// Graphviz 2.42 leaks inside its own code on every layout: dot's cluster handling
// (new_virtual_edge, make_aux_edge) and the pango text measuring behind textspan_size, which
// leaves fontconfig patterns behind. None of it is reachable from dagrad. ASan's fast unwinder
// stops at the first frame inside these libraries (they have no frame pointers), so the
// suppressions name the libraries; allocations made by dagrad's own code keep their frames and
// are still reported. The price: a forgotten gvFreeLayout would go unnoticed (agclose is still
// checked: cgraph allocates from libcgraph, not listed here).
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libgvc.so\n"
         "leak:libfontconfig.so\n";
}
