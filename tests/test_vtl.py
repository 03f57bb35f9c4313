"""Mapping templates: the AWS developer guide's examples, input and output as documented.

Expected outputs are copied from the guide (pages named in each test), not produced by
the code. JSON outputs are compared parsed, because the guide's whitespace is not what
Velocity prints and is not meaningful.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from framework.gateway.vtl import (
    TemplateError,
    TemplateInput,
    escape_javascript,
    gateway_error_context,
    render,
)


def render_json(template: str, body: Any = None, **kwargs: Any) -> Any:
    raw = b"" if body is None else json.dumps(body).encode()
    result = render(template, input=kwargs.pop("input", TemplateInput(raw)), **kwargs)
    return json.loads(result.body)


# --- "Photos Example (API Gateway Models and Mapping Templates)" -------------------------

PHOTOS = {
    "photos": {
        "page": 1,
        "pages": "1234",
        "perpage": 100,
        "total": "123398",
        "photo": [
            {
                "id": "12345678901",
                "owner": "23456789@A12",
                "secret": "abc123d456",
                "server": "1234",
                "farm": 1,
                "title": "Sample photo 1",
                "ispublic": 1,
                "isfriend": 0,
                "isfamily": 0,
            },
            {
                "id": "23456789012",
                "owner": "34567890@B23",
                "secret": "bcd234e567",
                "server": "2345",
                "farm": 2,
                "title": "Sample photo 2",
                "ispublic": 1,
                "isfriend": 0,
                "isfamily": 0,
            },
        ],
    }
}

PHOTOS_INPUT_TEMPLATE = """#set($inputRoot = $input.path('$'))
{
  "photos": {
    "page": $inputRoot.photos.page,
    "pages": "$inputRoot.photos.pages",
    "perpage": $inputRoot.photos.perpage,
    "total": "$inputRoot.photos.total",
    "photo": [
#foreach($elem in $inputRoot.photos.photo)
      {
        "id": "$elem.id",
        "owner": "$elem.owner",
        "secret": "$elem.secret",
        "server": "$elem.server",
        "farm": $elem.farm,
        "title": "$elem.title",
        "ispublic": $elem.ispublic,
        "isfriend": $elem.isfriend,
        "isfamily": $elem.isfamily
      }#if($foreach.hasNext),#end
\t\t\t
#end
    ]
  }
}"""

PHOTOS_OUTPUT_TEMPLATE = """#set($inputRoot = $input.path('$'))
{
  "photos": [
#foreach($elem in $inputRoot.photos.photo)
    {
      "id": "$elem.id",
      "owner": "$elem.owner",
      "title": "$elem.title",
      "ispublic": $elem.ispublic,
      "isfriend": $elem.isfriend,
      "isfamily": $elem.isfamily
    }#if($foreach.hasNext),#end
\t\t
#end
  ]
}"""


def test_photos_input_mapping_template_maps_every_field_of_the_original_data() -> None:
    assert render_json(PHOTOS_INPUT_TEMPLATE, PHOTOS) == PHOTOS


def test_photos_output_mapping_template_gives_the_documented_transformed_data() -> None:
    assert render_json(PHOTOS_OUTPUT_TEMPLATE, PHOTOS) == {
        "photos": [
            {
                "id": "12345678901",
                "owner": "23456789@A12",
                "title": "Sample photo 1",
                "ispublic": 1,
                "isfriend": 0,
                "isfamily": 0,
            },
            {
                "id": "23456789012",
                "owner": "34567890@B23",
                "title": "Sample photo 2",
                "ispublic": 1,
                "isfriend": 0,
                "isfamily": 0,
            },
        ]
    }


def test_photo_album_transformation_joins_names_and_prints_json_booleans() -> None:
    # "Example data models and mapping templates for API Gateway", photo album example.
    album = {
        "photos": {
            "page": 1,
            "pages": "1234",
            "perpage": 100,
            "total": "123398",
            "photo": [
                {
                    "id": "12345678901",
                    "owner": "23456789@A12",
                    "photographer_first_name": "Saanvi",
                    "photographer_last_name": "Sarkar",
                    "secret": "abc123d456",
                    "server": "1234",
                    "farm": 1,
                    "title": "Sample photo 1",
                    "ispublic": True,
                    "isfriend": False,
                    "isfamily": False,
                },
                {
                    "id": "23456789012",
                    "owner": "34567890@B23",
                    "photographer_first_name": "Richard",
                    "photographer_last_name": "Roe",
                    "secret": "bcd234e567",
                    "server": "2345",
                    "farm": 2,
                    "title": "Sample photo 2",
                    "ispublic": True,
                    "isfriend": False,
                    "isfamily": False,
                },
            ],
        }
    }
    template = """#set($inputRoot = $input.path('$'))
{
  "photos": [
#foreach($elem in $inputRoot.photos.photo)
    {
      "id": "$elem.id",
      "photographedBy": "$elem.photographer_first_name $elem.photographer_last_name",
      "title": "$elem.title",
      "ispublic": $elem.ispublic,
      "isfriend": $elem.isfriend,
      "isfamily": $elem.isfamily
    }#if($foreach.hasNext),#end
#end
  ]
}"""
    assert render_json(template, album) == {
        "photos": [
            {
                "id": "12345678901",
                "photographedBy": "Saanvi Sarkar",
                "title": "Sample photo 1",
                "ispublic": True,
                "isfriend": False,
                "isfamily": False,
            },
            {
                "id": "23456789012",
                "photographedBy": "Richard Roe",
                "title": "Sample photo 2",
                "ispublic": True,
                "isfriend": False,
                "isfamily": False,
            },
        ]
    }


# --- "Tutorial: Create a REST API ... models and mapping templates" (PetStore walkthrough) --

PETS = [
    {"id": 1, "type": "dog", "price": 249.99},
    {"id": 2, "type": "cat", "price": 124.99},
    {"id": 3, "type": "fish", "price": 0.99},
]


def test_noflatten_template_renames_fields() -> None:
    template = """#set($inputRoot = $input.path('$'))
[
#foreach($elem in $inputRoot)
  {
    "number": $elem.id,
    "class": "$elem.type",
    "salesPrice": $elem.price
  }#if($foreach.hasNext),#end

#end
]"""
    assert render_json(template, PETS) == [
        {"number": 1, "class": "dog", "salesPrice": 249.99},
        {"number": 2, "class": "cat", "salesPrice": 124.99},
        {"number": 3, "class": "fish", "salesPrice": 0.99},
    ]


def test_flattensome_template_builds_descriptions() -> None:
    template = """#set($inputRoot = $input.path('$'))
[
#foreach($elem in $inputRoot)
  {
    "description" : "Item $elem.id is a $elem.type.",
    "askingPrice" : $elem.price
  }#if($foreach.hasNext),#end

#end
]"""
    assert render_json(template, PETS) == [
        {"description": "Item 1 is a dog.", "askingPrice": 249.99},
        {"description": "Item 2 is a cat.", "askingPrice": 124.99},
        {"description": "Item 3 is a fish.", "askingPrice": 0.99},
    ]


def test_flattenall_template_writes_sentences_separated_by_foreach_has_next_commas() -> None:
    template = """#set($inputRoot = $input.path('$'))
{
  "listings" : [
#foreach($elem in $inputRoot)
    "Item number $elem.id is a $elem.type. The asking price is $elem.price."#if($foreach.hasNext),#end

#end
  ]
}"""  # noqa: E501 - the guide's template, verbatim
    assert render_json(template, PETS) == {
        "listings": [
            "Item number 1 is a dog. The asking price is 249.99.",
            "Item number 2 is a cat. The asking price is 124.99.",
            "Item number 3 is a fish. The asking price is 0.99.",
        ]
    }


def test_velocity_17_has_next_variable_works_like_foreach_has_next() -> None:
    template = "#foreach($p in $input.path('$'))$p.type#if($velocityHasNext), #end#end"
    assert render(template, input=TemplateInput(json.dumps(PETS))).body == "dog, cat, fish"


# --- "API Gateway mapping template and access logging variable reference" ----------------

CONSOLE_PASSTHROUGH = """##  See http://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
##  This template will pass through all parameters including path, querystring, header, stage variables, and context through to the integration endpoint via the body/payload
#set($allParams = $input.params())
{
"body-json" : $input.json('$'),
"params" : {
#foreach($type in $allParams.keySet())
    #set($params = $allParams.get($type))
"$type" : {
    #foreach($paramName in $params.keySet())
    "$paramName" : "$util.escapeJavaScript($params.get($paramName))"
        #if($foreach.hasNext),#end
    #end
}
    #if($foreach.hasNext),#end
#end
},
"stage-variables" : {
#foreach($key in $stageVariables.keySet())
"$key" : "$util.escapeJavaScript($stageVariables.get($key))"
    #if($foreach.hasNext),#end
#end
},
"context" : {
    "account-id" : "$context.identity.accountId",
    "api-id" : "$context.apiId",
    "api-key" : "$context.identity.apiKey",
    "authorizer-principal-id" : "$context.authorizer.principalId",
    "caller" : "$context.identity.caller",
    "cognito-authentication-provider" : "$context.identity.cognitoAuthenticationProvider",
    "cognito-authentication-type" : "$context.identity.cognitoAuthenticationType",
    "cognito-identity-id" : "$context.identity.cognitoIdentityId",
    "cognito-identity-pool-id" : "$context.identity.cognitoIdentityPoolId",
    "http-method" : "$context.httpMethod",
    "stage" : "$context.stage",
    "source-ip" : "$context.identity.sourceIp",
    "user" : "$context.identity.user",
    "user-agent" : "$context.identity.userAgent",
    "user-arn" : "$context.identity.userArn",
    "request-id" : "$context.requestId",
    "resource-id" : "$context.resourceId",
    "resource-path" : "$context.resourcePath"
    }
}
"""  # noqa: E501 - the console's template, verbatim

CONTEXT = {
    "apiId": "abcd1234",
    "httpMethod": "POST",
    "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    "resourceId": "efg567",
    "resourcePath": "/pets/{petId}",
    "stage": "prod",
    "identity": {
        "accountId": None,
        "apiKey": None,
        "caller": None,
        "sourceIp": "192.0.2.1",
        "user": None,
        "userAgent": "curl/7.84.0",
        "userArn": None,
    },
}


def test_console_method_request_passthrough_template_sends_everything() -> None:
    source = TemplateInput(
        b'{"name": "Rex"}',
        {
            "path": {"petId": "7"},
            "querystring": {"debug": "true"},
            "header": {"Accept": "application/json", "Content-Type": "application/json"},
        },
    )
    rendered = render_json(
        CONSOLE_PASSTHROUGH, input=source, context=CONTEXT, stage_variables={"env": "prod"}
    )
    # What a Lambda custom integration receives from this template: values the request
    # does not have (no authorizer, no API key, no Cognito identity) are empty strings.
    assert rendered == {
        "body-json": {"name": "Rex"},
        "params": {
            "path": {"petId": "7"},
            "querystring": {"debug": "true"},
            "header": {"Accept": "application/json", "Content-Type": "application/json"},
        },
        "stage-variables": {"env": "prod"},
        "context": {
            "account-id": "",
            "api-id": "abcd1234",
            "api-key": "",
            "authorizer-principal-id": "",
            "caller": "",
            "cognito-authentication-provider": "",
            "cognito-authentication-type": "",
            "cognito-identity-id": "",
            "cognito-identity-pool-id": "",
            "http-method": "POST",
            "stage": "prod",
            "source-ip": "192.0.2.1",
            "user": "",
            "user-agent": "curl/7.84.0",
            "user-arn": "",
            "request-id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "resource-id": "efg567",
            "resource-path": "/pets/{petId}",
        },
    }


def test_passthrough_template_gives_a_request_without_body_an_empty_object() -> None:
    rendered = render_json(CONSOLE_PASSTHROUGH, context=CONTEXT)
    assert rendered["body-json"] == {}
    assert rendered["params"] == {"path": {}, "querystring": {}, "header": {}}
    assert rendered["stage-variables"] == {}


def test_parameter_mapping_example_passes_all_parameters_through() -> None:
    template = """#set($allParams = $input.params())
{
  "params" : {
    #foreach($type in $allParams.keySet())
    #set($params = $allParams.get($type))
    "$type" : {
      #foreach($paramName in $params.keySet())
      "$paramName" : "$util.escapeJavaScript($params.get($paramName))"
      #if($foreach.hasNext),#end
      #end
    }
    #if($foreach.hasNext),#end
    #end
  }
}"""
    params = {"path": {"id": "abc"}, "querystring": {"q": "a b"}, "header": {"Host": "x"}}
    assert render_json(template, input=TemplateInput(b"", params)) == {"params": params}


def test_json_mapping_template_reads_a_query_string_and_embeds_the_whole_body() -> None:
    template = """{
    "name" : "$input.params('name')",
    "body" : $input.json('$')
}"""
    source = TemplateInput(b'{"mykey": {"a": [1, 2]}}', {"querystring": {"name": "Bob"}})
    assert render_json(template, input=source) == {"name": "Bob", "body": {"mykey": {"a": [1, 2]}}}
    mykey = template.replace("$input.json('$')", "$input.json('$.mykey')")
    assert render_json(mykey, input=source) == {"name": "Bob", "body": {"a": [1, 2]}}


def test_things_example_counts_an_object_with_size() -> None:
    template = """{
    "id" : "$input.params('id')",
    "count" : "$input.path('$.things').size()",
    "things" : $util.escapeJavaScript($input.json('$.things'))
}"""
    source = TemplateInput(b'{"things": {"1": {}, "2": {}, "3": {}}}', {"path": {"id": "abc"}})
    body = render(template, input=source).body
    # The guide's "Response" shows "things" unescaped; its own $util table says
    # escapeJavaScript escapes quotes, which is what Velocity prints.
    assert body == (
        "{\n"
        '    "id" : "abc",\n'
        '    "count" : "3",\n'
        '    "things" : {\\"1\\":{},\\"2\\":{},\\"3\\":{}}\n'
        "}"
    )
    plain = template.replace(
        "$util.escapeJavaScript($input.json('$.things'))", "$input.json('$.things')"
    )
    assert render_json(plain, input=source) == {
        "id": "abc",
        "count": "3",
        "things": {"1": {}, "2": {}, "3": {}},
    }


def test_context_variable_template_example() -> None:
    template = """{
    "stage" : "$context.stage",
    "request_id" : "$context.requestId",
    "api_id" : "$context.apiId",
    "resource_path" : "$context.resourcePath",
    "resource_id" : "$context.resourceId",
    "http_method" : "$context.httpMethod",
    "source_ip" : "$context.identity.sourceIp",
    "user-agent" : "$context.identity.userAgent",
    "account_id" : "$context.identity.accountId",
    "api_key" : "$context.identity.apiKey",
    "caller" : "$context.identity.caller",
    "user" : "$context.identity.user",
    "user_arn" : "$context.identity.userArn"
}"""
    context = {
        "stage": "prod",
        "requestId": "abcdefg-000-000-0000-abcdefg",
        "apiId": "abcd1234",
        "resourcePath": "/",
        "resourceId": "efg567",
        "httpMethod": "GET",
        "identity": {
            "sourceIp": "192.0.2.1",
            "userAgent": "curl/7.84.0",
            "accountId": "111122223333",
            "apiKey": "MyTestKey",
            "caller": "ABCD-0000-12345",
            "user": "ABCD-0000-12345",
            "userArn": "arn:aws:sts::111122223333:assumed-role/Admin/carlos-salazar",
        },
    }
    assert render_json(template, context=context) == {
        "stage": "prod",
        "request_id": "abcdefg-000-000-0000-abcdefg",
        "api_id": "abcd1234",
        "resource_path": "/",
        "resource_id": "efg567",
        "http_method": "GET",
        "source_ip": "192.0.2.1",
        "user-agent": "curl/7.84.0",
        "account_id": "111122223333",
        "api_key": "MyTestKey",
        "caller": "ABCD-0000-12345",
        "user": "ABCD-0000-12345",
        "user_arn": "arn:aws:sts::111122223333:assumed-role/Admin/carlos-salazar",
    }


def test_parse_json_example_reads_into_stringified_json() -> None:
    template = """#set ($errorMessageObj = $util.parseJson($input.path('$.errorMessage')))
{
   "errorMessageObjKey2ArrVal" : $errorMessageObj.key2.arr[0]
}"""
    body = {"errorMessage": '{"key1":"var1","key2":{"arr":[1,2,3]}}'}
    assert render_json(template, body) == {"errorMessageObjKey2ArrVal": 1}


def test_escape_javascript_escapes_single_and_double_quotes() -> None:
    # "$util variables": single quotes become \' (not valid JSON), which the guide undoes
    # with .replaceAll("\\'","'").
    source = TemplateInput(params={"querystring": {"q": 'it\'s "quoted"'}})
    escaped = render("$util.escapeJavaScript($input.params('q'))", input=source).body
    assert escaped == 'it\\\'s \\"quoted\\"'
    template = """{"q": "$util.escapeJavaScript($input.params('q')).replaceAll("\\\\'","'")"}"""
    assert render_json(template, input=source) == {"q": 'it\'s "quoted"'}


def test_escape_javascript_escapes_as_commons_lang_does() -> None:
    assert escape_javascript("a/b\\c\n\t\x01") == "a\\/b\\\\c\\n\\t\\u0001"
    assert escape_javascript("caf\u00e9 \U0001f600") == "caf\\u00E9 \\uD83D\\uDE00"


def test_stage_variables_in_all_three_documented_syntaxes() -> None:
    template = "$stageVariables.name ${stageVariables['name']} $stageVariables['name']"
    result = render(template, input=TemplateInput(), stage_variables={"name": "beta"})
    assert result.body == "beta beta beta"


def test_url_and_base64_utilities() -> None:
    template = (
        "$util.urlEncode('a b&c=d~*') $util.urlDecode('a+b%26c') "
        "$util.base64Encode('{\"a\":1}') $util.base64Decode('eyJhIjoxfQ==')"
    )
    assert (
        render(template, input=TemplateInput()).body == 'a+b%26c%3Dd%7E* a b&c eyJhIjoxfQ== {"a":1}'
    )


# --- "Use a mapping template to override an API's request and response parameters ..." ---


def test_response_override_sets_status_400_when_the_body_holds_an_error() -> None:
    template = """#set($inputRoot = $input.path('$'))
$input.json("$")
#if($inputRoot.toString().contains("error"))
#set($context.responseOverride.status = 400)
#end"""
    errors = {"errors": [{"key": "GetPetRequest.petId", "message": "The value is out of range."}]}
    result = render(template, input=TemplateInput(json.dumps(errors)))
    assert json.loads(result.body) == errors
    assert result.response_override.status == 400

    pet = render(template, input=TemplateInput(b'{"id": 1, "type": "dog", "price": 249.99}'))
    assert pet.response_override.status is None


def test_request_override_combines_two_headers_into_a_new_one() -> None:
    template = """#set($header1Override = "foo")
#set($header3Value = "$input.params('header1')$input.params('header2')")
$input.json("$")
#set($context.requestOverride.header.header3 = $header3Value)
#set($context.requestOverride.header.header1 = $header1Override)"""
    source = TemplateInput(b"{}", {"header": {"header1": "header1Val", "header2": "header2Val"}})
    result = render(template, input=source)
    assert result.request_override.header == {"header3": "header1Valheader2Val", "header1": "foo"}
    assert result.request_override.querystring == {}
    assert result.request_override.path == {}


def test_query_string_path_and_response_header_overrides_are_collected() -> None:
    template = (
        "#set($context.requestOverride.querystring.page = 2)"
        "#set($context.requestOverride.path.petId = $input.params('id'))"
        "#set($context.responseOverride.header.X-Trace = 'abc')"
        "#set($context.responseOverride.status = '201')"
    )
    result = render(template, input=TemplateInput(params={"path": {"id": "9"}}))
    assert result.request_override.querystring == {"page": "2"}
    assert result.request_override.path == {"petId": "9"}
    assert result.response_override.header == {"X-Trace": "abc"}
    assert result.response_override.status == 201


def test_an_override_set_twice_fails_the_template() -> None:
    # "Overrides are final ... Trying to override the same parameter multiple times will
    # result in 5XX responses from Amazon API Gateway."
    template = (
        "#set($context.responseOverride.status = 400)\n"
        "#set($context.responseOverride.status = 401)\n"
    )
    with pytest.raises(TemplateError) as caught:
        render(template, input=TemplateInput())
    assert caught.value.line == 2
    assert "final" in caught.value.message


def test_request_overrides_of_the_request_template_are_visible_to_the_response_template() -> None:
    context = {"requestOverride": {"path": {"body": "from request"}}}
    result = render("$context.requestOverride.path.body", input=TemplateInput(), context=context)
    assert result.body == "from request"


# --- "Set up mock integrations in API Gateway" ---------------------------------------------


@pytest.mark.parametrize(("scope", "status"), [("internal", 200), ("public", 500)])
def test_mock_integration_request_template_picks_the_status_code(scope: str, status: int) -> None:
    template = """{
  #if( $input.params('scope') == "internal" )
    "statusCode": 200
  #else
    "statusCode": 500
  #end
}"""
    source = TemplateInput(params={"querystring": {"scope": scope}})
    assert render_json(template, input=source) == {"statusCode": status}


# --- Gateway responses ("Set up gateway responses to customize error responses") ---------


def test_gateway_response_template_quotes_the_error_message() -> None:
    template = '{"message":$context.error.messageString,"type":"$context.error.responseType"}'
    context = {
        "error": gateway_error_context(
            "Missing Authentication Token", "MISSING_AUTHENTICATION_TOKEN"
        )
    }
    assert render_json(template, context=context) == {
        "message": "Missing Authentication Token",
        "type": "MISSING_AUTHENTICATION_TOKEN",
    }
    no_message = {"error": gateway_error_context(None, "AUTHORIZER_CONFIGURATION_ERROR")}
    assert render_json('{"message":$context.error.messageString}', context=no_message) == {
        "message": None
    }


# --- $input in detail ------------------------------------------------------------------------


def test_input_body_is_the_raw_payload_and_input_json_is_compact_json() -> None:
    source = TemplateInput(b'{ "a" : [1, 2],\n  "b" : "x" }')
    assert render("$input.body", input=source).body == '{ "a" : [1, 2],\n  "b" : "x" }'
    assert render("$input.json('$')", input=source).body == '{"a":[1,2],"b":"x"}'


def test_input_params_searches_path_then_query_string_then_headers() -> None:
    params = {
        "path": {"id": "from-path"},
        "querystring": {"id": "from-query", "q": "from-query"},
        "header": {"id": "from-header", "q": "from-header", "X-Only": "header"},
    }
    template = (
        "$input.params('id') $input.params('q') $input.params('X-Only') [$input.params('no')]"
    )
    result = render(template, input=TemplateInput(params=params))
    assert result.body == "from-path from-query header []"


def test_header_parameters_are_looked_up_without_regard_to_case() -> None:
    source = TemplateInput(params={"header": {"Content-Type": "application/json"}})
    template = (
        "$input.params('content-type') $input.params().header.get('CONTENT-TYPE') "
        "$input.params().header.keySet()"
    )
    assert render(template, input=source).body == (
        "application/json application/json [Content-Type]"
    )


def test_input_path_objects_answer_java_methods() -> None:
    body = {"pets": [{"name": "Rex"}, {"name": "Tom"}], "owner": {"name": "Ann"}, "tags": []}
    template = (
        "$input.path('$.pets').size() $input.path('$.owner').keySet() "
        "$input.path('$.tags').isEmpty() $input.path('$.owner.name').length() "
        "$input.path('$.owner.name').toUpperCase() "
        "$input.path('$.pets[0].name').replaceAll('R(e)x', 'T$1d') "
        "$input.path('$.owner').get('name') $input.path('$.pets[*].name')"
    )
    result = render(template, input=TemplateInput(json.dumps(body)))
    assert result.body == '2 [name] true 3 ANN Ted Ann ["Rex","Tom"]'


def test_input_path_prints_objects_as_java_maps_and_arrays_as_json() -> None:
    # AWS prints $input.path results with Java's toString: {key=value} for objects, while
    # json-smart arrays print as JSON (localstack/localstack#12379, recorded on AWS).
    source = TemplateInput(b'{"a": 1, "b": [{"c": 5}], "d": {"e": true, "f": null}}')
    assert render("$input.path('$')", input=source).body == '{a=1, b=[{"c":5}], d={e=true, f=null}}'


def test_maps_built_in_the_template_take_put_through_a_dummy_set() -> None:
    template = """#set($map = {})
#set($dummy = $map.put('a', 1))
#set($dummy = $map.put('b', "two"))
$map.size() $map.get('b') $map.containsKey('a') #foreach($k in $map.keySet())$k#end $map"""
    assert render(template, input=TemplateInput()).body == "2 two true ab {a=1, b=two}"


def test_template_strings_answer_java_string_methods() -> None:
    template = (
        '#set($s = " Hello, World ")'
        "$s.trim().length() $s.trim().toLowerCase() $s.contains('World') "
        "$s.trim().startsWith('Hello') $s.trim().substring(0, 5) $s.trim().split(', ').size() "
        "$s.trim().endsWith('!') $s.indexOf('W')"
    )
    assert (
        render(template, input=TemplateInput()).body == "12 hello, world true true Hello 2 false 8"
    )


def test_foreach_over_an_object_walks_its_values_as_velocity_does() -> None:
    source = TemplateInput(b'{"a": "x", "b": "y"}')
    template = "#foreach($v in $input.path('$'))$v#if($foreach.hasNext),#end#end"
    assert render(template, input=source).body == "x,y"


def test_undefined_references_print_as_nothing() -> None:
    template = "[$nothing][$context.authorizer.claims.email][$input.path('$.missing')]"
    assert render(template, input=TemplateInput(b"{}")).body == "[][][]"


def test_util_extras_add_functions() -> None:
    result = render(
        "$util.shout('hi')", input=TemplateInput(), util_extras={"shout": lambda s: s.upper()}
    )
    assert result.body == "HI"


# --- Errors --------------------------------------------------------------------------------


def test_unclosed_if_is_a_template_error_at_the_line_of_the_if() -> None:
    template = '{\n  "a": 1\n  #if($input.params(\'x\') == "y")\n  ,"b": 2\n}\n'
    with pytest.raises(TemplateError) as caught:
        render(template, input=TemplateInput())
    assert caught.value.line == 3
    assert "#end" in caught.value.message


def test_unclosed_foreach_is_a_template_error_with_a_line() -> None:
    with pytest.raises(TemplateError) as caught:
        render("[\n#foreach($x in [1, 2])\n$x\n]", input=TemplateInput())
    assert caught.value.line == 2


def test_failure_at_run_time_reports_its_line() -> None:
    template = '{\n  "a": "$input.params(\'a\')",\n  "b": $util.parseJson("not json")\n}'
    with pytest.raises(TemplateError) as caught:
        render(template, input=TemplateInput())
    assert caught.value.line == 3
    assert "parseJson" in caught.value.message


def test_invalid_jsonpath_and_non_json_body_are_template_errors() -> None:
    with pytest.raises(TemplateError, match="invalid JSONPath"):
        render("$input.path('$.a[')", input=TemplateInput(b"{}"))
    with pytest.raises(TemplateError, match="not JSON"):
        render("ok\n$input.json('$')", input=TemplateInput(b"<xml/>"))
    # A template that never looks inside the body does not care what it is.
    assert render("$input.body", input=TemplateInput(b"<xml/>")).body == "<xml/>"


def test_a_status_override_that_is_not_a_status_code_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match="status"):
        render("#set($context.responseOverride.status = 'teapot')", input=TemplateInput())
