"""Each adapter's stock read (reconciliation, and Kuaishou's first figure): the request it builds and
the figures it reads from the platform's answer.

Samples: no platform published an example answer to the read calls used here, so each answer below is
BUILT FROM THE PLATFORM'S DOCUMENTED FIELDS (named per test), with ids and figures taken from the real
samples in ../shared/fixtures/channels where one exists (Shopify's inventory level, Amazon's MFN
quantity notification, Shopee's update_stock and WeChat's stock/update examples). JD's answer shape
is ours: only the API name and its skuId parameter are known (JD's SDK).
"""

import json
from urllib.parse import parse_qs

import pytest

from flexhub.channels.adapter import ListingRef
from flexhub.channels.platforms.amazon import AmazonAdapter
from flexhub.channels.platforms.douyin import DouyinAdapter
from flexhub.channels.platforms.ebay import EbayAdapter
from flexhub.channels.platforms.generic import GenericAdapter
from flexhub.channels.platforms.jd import JdAdapter
from flexhub.channels.platforms.kuaishou import KuaishouAdapter
from flexhub.channels.platforms.shopee import ShopeeAdapter
from flexhub.channels.platforms.shopify import ShopifyAdapter
from flexhub.channels.platforms.taobao import TaobaoAdapter
from flexhub.channels.platforms.wechat import WechatAdapter
from flexhub.channels.platforms.woocommerce import WooCommerceAdapter
from flexhub.testing import adapter_contract


def one(reads):
    assert len(reads) == 1
    return reads[0]


def test_shopify_reads_available_at_the_location_by_graphql(sample_json):
    level = sample_json("shopify_rest_inventory_levels_set.json")["response"]["inventory_level"]
    item, location = str(level["inventory_item_id"]), str(level["location_id"])
    credentials = {"shop_domain": "jsmith.myshopify.com", "access_token": "shpat_test", "webhook_secret": "hush"}
    refs = [ListingRef("IPOD-GREEN", item, location), ListingRef("IPOD-RED", "39072857", location)]
    read = one(adapter_contract.check_stock_reads(ShopifyAdapter(), credentials, refs))
    assert read.request.url == "https://jsmith.myshopify.com/admin/api/2026-01/graphql.json"
    assert read.request.headers["X-Shopify-Access-Token"] == "shpat_test"
    assert read.request.json["query"].startswith("query") and "inventoryLevel(locationId: $location)" in \
        read.request.json["query"]
    assert read.request.json["variables"] == {"ids": [f"gid://shopify/InventoryItem/{item}",
                                                      "gid://shopify/InventoryItem/39072857"],
                                              "location": f"gid://shopify/Location/{location}"}
    # Built from the InventoryLevel.quantities documentation, with the REST sample's figure.
    answer = {"data": {"nodes": [
        {"id": f"gid://shopify/InventoryItem/{item}",
         "inventoryLevel": {"quantities": [{"name": "available", "quantity": level["available"]}]}},
        {"id": "gid://shopify/InventoryItem/39072857", "inventoryLevel": None}]}}
    assert ShopifyAdapter().parse_stock(answer, read.listings) == {"IPOD-GREEN": 42}
    with pytest.raises(ValueError):
        ShopifyAdapter().parse_stock({"errors": [{"message": "Throttled"}]}, read.listings)


def test_shopify_reads_each_location_apart_and_50_items_a_query():
    credentials = {"shop_domain": "s.myshopify.com", "access_token": "t", "webhook_secret": "w"}
    refs = [ListingRef(f"S-{n}", str(1000 + n), "1" if n % 2 else "2") for n in range(120)]
    reads = adapter_contract.check_stock_reads(ShopifyAdapter(), credentials, refs)
    assert len(reads) == 4 and max(len(read.listings) for read in reads) == 50


def test_amazon_reads_the_default_fulfillment_availability(sample_json):
    payload = sample_json("amazon_sp_LISTINGS_ITEM_MFN_QUANTITY_CHANGE_notification_example.json")["Payload"]
    credentials = {"refresh_token": "r", "client_id": "c", "client_secret": "s", "seller_id": payload["SellerId"],
                   "marketplace_id": "ATVPDKIKX0DER", "access_token": "Atza|fake"}
    ref = ListingRef(payload["Sku"])
    read = one(adapter_contract.check_stock_reads(AmazonAdapter(), credentials, [ref]))
    assert (read.request.method, read.request.url) == (  # searchListingsItems, for one SKU here
        "GET", f"https://sellingpartnerapi-na.amazon.com/listings/2021-08-01/items/{payload['SellerId']}")
    assert read.request.params["identifiers"] == "NLS-SHOES-03"
    assert read.request.params["includedData"] == "fulfillmentAvailability"
    assert read.request.headers["x-amz-access-token"] == "Atza|fake"
    # The Item schema of listingsItems_2021-08-01: fulfillmentAvailability[{fulfillmentChannelCode, quantity}],
    # as getListingsItem answers it and as each of searchListingsItems' items.
    item = {"sku": payload["Sku"], "fulfillmentAvailability": [
        {"fulfillmentChannelCode": "AMAZON_NA", "quantity": 7},
        {"fulfillmentChannelCode": payload["FulfillmentChannelCode"], "quantity": payload["Quantity"]}]}
    assert AmazonAdapter().parse_stock(item, [ref]) == {"NLS-SHOES-03": 99}
    assert AmazonAdapter().parse_stock({"numberOfResults": 1, "items": [item]}, [ref]) == {"NLS-SHOES-03": 99}
    with pytest.raises(ValueError):
        AmazonAdapter().parse_stock({"errors": [{"code": "NOT_FOUND", "message": "no such SKU"}]}, [ref])


def test_woocommerce_reads_products_and_variations_by_include():
    credentials = {"store_url": "https://example.com", "consumer_key": "ck", "consumer_secret": "cs",
                   "webhook_secret": "w"}
    refs = [ListingRef("HOODIE", "799"), ListingRef("TEE-BLUE", "22:31"), ListingRef("TEE-RED", "22:32")]
    reads = adapter_contract.check_stock_reads(WooCommerceAdapter(), credentials, refs)
    by_url = {read.request.url: read for read in reads}
    assert set(by_url) == {"https://example.com/wp-json/wc/v3/products",
                           "https://example.com/wp-json/wc/v3/products/22/variations"}
    variations = by_url["https://example.com/wp-json/wc/v3/products/22/variations"]
    assert variations.request.params == {"include": "31,32", "per_page": "100"}
    # The v3 Product Variation properties: id, sku, manage_stock, stock_quantity (null when unmanaged).
    answer = [{"id": 31, "sku": "TEE-BLUE", "manage_stock": True, "stock_quantity": 4},
              {"id": 32, "sku": "TEE-RED", "manage_stock": False, "stock_quantity": None}]
    assert WooCommerceAdapter().parse_stock(answer, variations.listings) == {"TEE-BLUE": 4}
    with pytest.raises(ValueError):
        WooCommerceAdapter().parse_stock({"code": "woocommerce_rest_cannot_view", "message": "no"}, refs)


def test_ebay_reads_25_inventory_items_a_call():
    credentials = {"client_id": "c", "client_secret": "s", "refresh_token": "r", "access_token": "v^1.1#user"}
    refs = [ListingRef(f"EB-{n}") for n in range(30)]
    reads = adapter_contract.check_stock_reads(EbayAdapter(), credentials, refs)
    assert [len(read.listings) for read in reads] == [25, 5]
    first = reads[0].request
    assert (first.method, first.url) == ("POST", "https://api.ebay.com/sell/inventory/v1/bulk_get_inventory_item")
    assert first.json == {"requests": [{"sku": f"EB-{n}"} for n in range(25)]}
    assert first.headers["authorization"] == "Bearer v^1.1#user"
    # BulkGetInventoryItemResponse: responses[{statusCode, sku, inventoryItem{availability{shipTo...}}}].
    answer = {"responses": [
        {"statusCode": 200, "sku": "EB-26",
         "inventoryItem": {"availability": {"shipToLocationAvailability": {"quantity": 12}}}},
        {"statusCode": 404, "sku": "EB-27", "errors": [{"errorId": 25702, "message": "SKU not found"}]}]}
    assert EbayAdapter().parse_stock(answer, reads[1].listings) == {"EB-26": 12}


def test_shopee_reads_models_by_get_model_list_and_plain_items_by_base_info(sample_json):
    example = sample_json("shopee_v2_product_update_stock_example.json")["request"]
    credentials = {"partner_id": "1000001", "partner_key": "k" * 32, "shop_id": "80001", "access_token": "tok"}
    refs = [ListingRef("MUG", f"{example['item_id']}:0"), ListingRef("TEE-S", "23620853561:221404189791"),
            ListingRef("TEE-M", "23620853561:221404189792")]
    reads = adapter_contract.check_stock_reads(ShopeeAdapter(), credentials, refs)
    paths = {read.request.url.rsplit("/api/v2", 1)[1]: read for read in reads}
    assert set(paths) == {"/product/get_model_list", "/product/get_item_base_info"}
    models = paths["/product/get_model_list"]
    assert models.request.method == "GET" and models.request.params["item_id"] == "23620853561"
    assert {"partner_id", "timestamp", "access_token", "shop_id", "sign"} <= set(models.request.params)
    # get_model_list's response.model[].stock_info_v2.seller_stock[{location_id, stock}] (documented fields).
    answer = {"error": "", "message": "", "response": {"model": [
        {"model_id": 221404189791, "stock_info_v2": {"seller_stock": [{"location_id": "SGZ", "stock": 6}]}},
        {"model_id": 221404189792, "stock_info_v2": {"seller_stock": [{"location_id": "SGZ", "stock": 0}]}}]}}
    assert ShopeeAdapter().parse_stock(answer, models.listings) == {"TEE-S": 6, "TEE-M": 0}
    plain = paths["/product/get_item_base_info"]
    assert plain.request.params["item_id_list"] == str(example["item_id"])
    answer = {"error": "", "response": {"item_list": [{"item_id": example["item_id"], "stock_info_v2": {
        "seller_stock": [{"location_id": "-", "stock": example["stock_list"][0]["seller_stock"][0]["stock"] + 3}]}}]}}
    assert ShopeeAdapter().parse_stock(answer, plain.listings) == {"MUG": 3}
    with pytest.raises(ValueError):
        ShopeeAdapter().parse_stock({"error": "error_auth", "message": "Invalid access_token."}, plain.listings)


def test_taobao_reads_an_items_skus_by_item_seller_get():
    credentials = {"app_key": "12345678", "app_secret": "fake_secret", "session": "fake_session"}
    refs = [ListingRef("TEE-S", "620000001234:4500000000001"), ListingRef("TEE-M", "620000001234:4500000000002")]
    read = one(adapter_contract.check_stock_reads(TaobaoAdapter(), credentials, refs))
    params = read.request.params
    assert (params["method"], params["num_iid"], params["fields"]) == ("taobao.item.seller.get", "620000001234",
                                                                       "num_iid,num,sku")
    assert params["sign"] and params["session"] == "fake_session"
    # taobao.item.seller.get's Item: num_iid, num and skus.sku[{sku_id, quantity}].
    answer = {"item_seller_get_response": {"item": {"num_iid": 620000001234, "num": 9, "skus": {"sku": [
        {"sku_id": 4500000000001, "quantity": 5}, {"sku_id": 4500000000002, "quantity": 4}]}}}}
    assert TaobaoAdapter().parse_stock(answer, read.listings) == {"TEE-S": 5, "TEE-M": 4}
    refused = {"error_response": {"code": 27, "msg": "Invalid session", "sub_code": "invalid-sessionkey"}}
    with pytest.raises(ValueError):
        TaobaoAdapter().parse_stock(refused, read.listings)


def test_jd_reads_one_sku_by_find_sku_stock():
    credentials = {"app_key": "FAKEAPPKEY", "app_secret": "fake_secret", "access_token": "fake_token"}
    ref = ListingRef("JD-TEE", "100012043978")
    read = one(adapter_contract.check_stock_reads(JdAdapter(), credentials, [ref]))
    assert read.request.params["method"] == "jingdong.stock.read.findSkuStock"
    assert json.loads(read.request.params["360buy_param_json"]) == {"skuId": 100012043978}
    answer = {"jingdong_stock_read_findSkuStock_responce": {"code": "0", "skuStocks": [
        {"skuId": 100012043978, "stockNum": 17}]}}
    assert JdAdapter().parse_stock(answer, [ref]) == {"JD-TEE": 17}


def test_douyin_reads_a_sku_by_sku_detail():
    credentials = {"app_key": "7000", "app_secret": "s", "access_token": "t"}
    ref = ListingRef("DY-TEE", "3600000000000000000:1750000000000001")
    read = one(adapter_contract.check_stock_reads(DouyinAdapter(), credentials, [ref]))
    assert read.request.url.endswith("/sku/detail") and read.request.params["method"] == "sku.detail"
    assert json.loads(read.request.content) == {"sku_id": 1750000000000001}
    # sku.detail's data: id, product_id, code, stock_num (documented fields).
    answer = {"code": 10000, "msg": "success", "data": {"id": 1750000000000001, "code": "DY-TEE", "stock_num": 8}}
    assert DouyinAdapter().parse_stock(answer, [ref]) == {"DY-TEE": 8}
    with pytest.raises(ValueError):
        DouyinAdapter().parse_stock({"code": 50002, "msg": "服务限流", "sub_code": "isp.service-flow-limited"}, [ref])


def test_wechat_reads_a_sku_by_stock_get(sample_json):
    example = sample_json("wechat_shop_product_stock_update_example.json")["request"]
    credentials = {"appid": "wx1", "appsecret": "s", "access_token": "ACCESS_TOKEN"}
    ref = ListingRef("WX-TEE", f"{example['product_id']}:{example['sku_id']}")
    read = one(adapter_contract.check_stock_reads(WechatAdapter(), credentials, [ref]))
    assert read.request.url == "https://api.weixin.qq.com/channels/ec/product/stock/get"
    assert read.request.params == {"access_token": "ACCESS_TOKEN"}
    assert read.request.json == {"product_id": "324545", "sku_id": "9328425"}
    # stock/get's data: normal_stock_num, limited_discount_stock_num, total_stock_num (documented fields).
    answer = {"errcode": 0, "errmsg": "ok", "data": {"normal_stock_num": example["num"], "total_stock_num": 12}}
    assert WechatAdapter().parse_stock(answer, [ref]) == {"WX-TEE": 10}
    with pytest.raises(ValueError):
        WechatAdapter().parse_stock({"errcode": 10020007, "errmsg": "sku not exist"}, [ref])


def test_kuaishou_reads_an_items_skus_by_sku_list_get():
    credentials = {"app_key": "ks1", "app_secret": "s", "sign_secret": "ss", "access_token": "t"}
    refs = [ListingRef("KS-S", "21936000000:5123000000"), ListingRef("KS-M", "21936000000:5123000001")]
    read = one(adapter_contract.check_stock_reads(KuaishouAdapter(), credentials, refs))
    assert read.request.url.endswith("/open/item/sku/list/get")
    assert json.loads(read.request.params["param"]) == {"kwaiItemId": 21936000000}
    # open.item.sku.list.get's data: [{kwaiSkuId, skuNick, skuStock}] (documented fields).
    answer = {"result": 1, "data": [{"kwaiSkuId": 5123000000, "skuStock": 3}, {"kwaiSkuId": 5123000001,
                                                                               "skuStock": 0}]}
    assert KuaishouAdapter().parse_stock(answer, refs) == {"KS-S": 3, "KS-M": 0}
    assert KuaishouAdapter.stock_by_difference is True
    with pytest.raises(ValueError):
        KuaishouAdapter().parse_stock({"result": 28, "error_msg": "access_token无效"}, refs)


def test_generic_reads_the_sites_own_stock_endpoint():
    credentials = {"webhook_secret": "s3cret", "base_url": "https://shop.example.com/flexhub"}
    refs = [ListingRef("TEE-S"), ListingRef("TEE-M")]
    read = one(adapter_contract.check_stock_reads(GenericAdapter(), credentials, refs))
    assert (read.request.method, read.request.url) == ("GET", "https://shop.example.com/flexhub/stock")
    assert parse_qs(f"skus={read.request.params['skus']}") == {"skus": ["TEE-S,TEE-M"]}
    assert read.request.headers["x-flexhub-signature"].startswith("sha256=")
    answer = {"items": [{"sku": "TEE-S", "quantity": 2}, {"sku": "OTHER", "quantity": 9}]}
    assert GenericAdapter().parse_stock(answer, refs) == {"TEE-S": 2}
