/* Imports from exports.dll by name and by ordinal (through the import library the linker
   wrote for it) and from kernel32 by name (through a forwarder). */

__declspec(dllimport) int add_numbers(int a, int b);
__declspec(dllimport) int sum_array(int count);
__declspec(dllimport) extern int exported_data;
int by_ordinal_only(int x);

int importer_entry(void) {
    return add_numbers(1, 2) + sum_array(3) + exported_data + by_ordinal_only(4);
}
