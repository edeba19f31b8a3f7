# src/api/web/embed.cmake - the web view's files as C arrays (api/web.c).
#
#   cmake -DOUT=web_assets.c -DFILES="a/index.html;a/app.js" -P embed.cmake
#
# Each file NAME.EXT becomes api_web_NAME_EXT[] (its bytes and a final
# NUL, so that an empty file is still an array) and api_web_NAME_EXT_len
# (its length, without the NUL).  CMake's own file(READ ... HEX): no xxd.
if(NOT OUT OR NOT FILES)
	message(FATAL_ERROR "embed.cmake: set OUT and FILES")
endif()
set(c "/* written by src/api/web/embed.cmake: do not edit */\n")
string(APPEND c "#include <stddef.h>\n")
foreach(f ${FILES})
	get_filename_component(name ${f} NAME)
	string(MAKE_C_IDENTIFIER "api_web_${name}" id)
	file(READ ${f} hex HEX)
	string(LENGTH "${hex}" n)
	math(EXPR n "${n} / 2")
	# 16 bytes a line (CMake's regular expressions have no {n})
	string(REPEAT "[0-9a-f]" 32 line)
	string(REGEX REPLACE "(${line})" "\\1\n\t" hex "${hex}")
	string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
	string(APPEND c "\n/* ${name} */\n"
	    "extern const unsigned char ${id}[];\n"
	    "extern const size_t ${id}_len;\n"
	    "const unsigned char ${id}[] = {\n\t${hex}0x00\n};\n"
	    "const size_t ${id}_len = ${n};\n")
endforeach()
file(WRITE ${OUT} "${c}")
